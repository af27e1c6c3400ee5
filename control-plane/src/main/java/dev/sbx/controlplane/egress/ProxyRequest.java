package dev.sbx.controlplane.egress;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One request a sandbox sent the proxy: a CONNECT (a tunnel, for TLS or any TCP) or a plain HTTP
 * request in absolute form ({@code GET http://host/path}), which the proxy forwards in origin form
 * with the hop-by-hop headers removed and {@code Connection: close}, so that one client connection
 * carries one request to one host. Its {@code Host} is the URL's: the host the policy decided on,
 * never another name the sandbox put in the header (RFC 9112, section 3.2.2), which a server
 * hosting both names would otherwise serve.
 *
 * @param target where it goes
 * @param method CONNECT or the HTTP method
 * @param head for plain HTTP, the request line and headers to send the host; null for CONNECT
 * @param chunked whether a plain HTTP request's body is chunked
 */
record ProxyRequest(Target target, String method, byte @Nullable [] head, boolean chunked) {

  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "proxy-connection",
          "keep-alive",
          "proxy-authorization",
          "proxy-authenticate",
          "te",
          "trailer",
          "upgrade");

  boolean isConnect() {
    return head == null;
  }

  /**
   * @throws IllegalArgumentException with a reason fit for a 400, never repeating hostile text
   */
  static ProxyRequest of(HttpRequest request) {
    var method = request.method();
    var uri = request.uri();
    if (!printableAscii(uri)) {
      throw new IllegalArgumentException("malformed request");
    }
    if (HttpMethod.CONNECT.equals(method)) {
      return new ProxyRequest(Target.parse(uri, 443), "CONNECT", null, false);
    }
    var lower = uri.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("http://")) {
      throw new IllegalArgumentException(
          lower.startsWith("https://")
              ? "use CONNECT for https"
              : "not a proxy request (expected an absolute http:// URL)");
    }
    int start = "http://".length();
    int end = start;
    while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
      end++;
    }
    var authority = uri.substring(start, end);
    if (authority.indexOf('@') >= 0) {
      throw new IllegalArgumentException("user information in the URL is not supported");
    }
    var target = Target.parse(authority, 80);
    var path = uri.substring(end);
    int hash = path.indexOf('#');
    if (hash >= 0) {
      path = path.substring(0, hash);
    }
    if (path.isEmpty() || path.startsWith("?")) {
      path = "/" + path;
    }
    boolean chunked = chunked(request);
    return new ProxyRequest(
        target, method.name(), head(request, method.name(), path, authority, chunked), chunked);
  }

  /**
   * Whether the body is chunked; any other transfer coding is refused, since the proxy frames the
   * body it passes on (see {@link RequestBody}).
   */
  private static boolean chunked(HttpRequest request) {
    var codings = request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
    if (codings.isEmpty()) {
      return false;
    }
    if (codings.size() == 1 && codings.get(0).trim().equalsIgnoreCase("chunked")) {
      return true;
    }
    throw new IllegalArgumentException("unsupported transfer-encoding (only chunked)");
  }

  private static byte[] head(
      HttpRequest request, String method, String path, String authority, boolean chunked) {
    var headers = request.headers();
    var dropped = new HashSet<>(HOP_BY_HOP);
    dropped.add("host"); // the URL's is sent instead
    if (chunked) {
      dropped.add("content-length"); // RFC 9112, 6.3: chunked wins, and a length beside it lies
    }
    for (var value : headers.getAll(HttpHeaderNames.CONNECTION)) {
      for (var token : value.split(",")) {
        dropped.add(token.trim().toLowerCase(Locale.ROOT));
      }
    }
    var out = new StringBuilder(256);
    out.append(method)
        .append(' ')
        .append(path)
        .append(' ')
        .append(request.protocolVersion().text())
        .append("\r\n");
    out.append("Host: ").append(authority).append("\r\n");
    for (var header : headers) {
      if (!headerText(header.getKey()) || !headerText(header.getValue())) {
        throw new IllegalArgumentException("malformed header");
      }
      if (!dropped.contains(header.getKey().toLowerCase(Locale.ROOT))) {
        out.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
      }
    }
    out.append("Connection: close\r\n\r\n");
    // ISO-8859-1 gives the header bytes back as they came.
    return out.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** No control characters but tab: a lone CR could end a header line for some servers. */
  private static boolean headerText(String text) {
    return text.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c != 0x7f && c <= 0xff));
  }

  private static boolean printableAscii(String text) {
    return !text.isEmpty() && text.chars().allMatch(c -> c > 0x20 && c < 0x7f);
  }
}
