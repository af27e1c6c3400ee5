package dev.sbx.controlplane.web.forward;

import dev.sbx.controlplane.peers.PeerAddress;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import org.jspecify.annotations.Nullable;

/**
 * Passes an HTTP request on to the owning replica and its answer back, both bodies streaming: an
 * upload is read from the client while it is sent on, and a followed {@code /output} reaches the
 * client chunk by chunk, each flushed. Nothing is held whole in memory. No timeout beyond the
 * connect's: a sync exec or a followed output lasts as long as it lasts, as it would direct.
 */
final class HttpForwarder {

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
  private static final int CHUNK = 64 * 1024;

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(CONNECT_TIMEOUT)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  /**
   * Forwards the request; the answer, whatever its status, is the owner's.
   *
   * @throws IOException when the owner cannot be reached, before anything was answered
   */
  void forward(
      HttpServletRequest request,
      HttpServletResponse response,
      String owner,
      String self,
      String secret,
      boolean toHolder)
      throws IOException, InterruptedException {
    var query = request.getQueryString();
    var uri =
        URI.create(
            PeerAddress.base(owner) + request.getRequestURI() + (query != null ? "?" + query : ""));
    var builder = HttpRequest.newBuilder(uri);
    for (var name : Collections.list(request.getHeaderNames())) {
      if (ForwardHeaders.passed(name)) {
        for (var value : Collections.list(request.getHeaders(name))) {
          builder.header(name, value);
        }
      }
    }
    builder.header(ForwardHeaders.FORWARDED_BY, self);
    builder.header(ForwardHeaders.PEER_SECRET, secret);
    if (toHolder) {
      builder.header(ForwardHeaders.HOLDER, "ask");
    }
    builder.method(request.getMethod(), body(request));
    var answer = http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
    response.setStatus(answer.statusCode());
    answer
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              if (ForwardHeaders.passed(name)) {
                values.forEach(value -> response.addHeader(name, value));
              }
            });
    answer.headers().firstValueAsLong("content-length").ifPresent(response::setContentLengthLong);
    try (InputStream in = answer.body()) {
      var out = response.getOutputStream();
      var buffer = new byte[CHUNK];
      for (int n; (n = in.read(buffer)) != -1; ) {
        out.write(buffer, 0, n);
        out.flush();
      }
    }
  }

  /**
   * Whether {@code replica} holds the exec: a GET of its status there, as a holder question, with
   * the client's credential.
   */
  boolean holds(
      String replica,
      String sandboxId,
      String execId,
      @Nullable String authorization,
      String self,
      String secret)
      throws InterruptedException {
    var builder =
        HttpRequest.newBuilder(
                PeerAddress.base(replica).resolve("/sandboxes/" + sandboxId + "/execs/" + execId))
            .timeout(PROBE_TIMEOUT)
            .header(ForwardHeaders.FORWARDED_BY, self)
            .header(ForwardHeaders.PEER_SECRET, secret)
            .header(ForwardHeaders.HOLDER, "ask");
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    try {
      return http.send(builder.GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode()
          == 200;
    } catch (IOException e) {
      return false; // gone or slow: it cannot serve the exec either
    }
  }

  private static BodyPublisher body(HttpServletRequest request) {
    long length = request.getContentLengthLong();
    boolean chunked = "chunked".equalsIgnoreCase(request.getHeader("Transfer-Encoding"));
    if (length <= 0 && !chunked) {
      return BodyPublishers.noBody();
    }
    var stream =
        BodyPublishers.ofInputStream(
            () -> {
              try {
                return request.getInputStream();
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    return length > 0 ? BodyPublishers.fromPublisher(stream, length) : stream;
  }
}
