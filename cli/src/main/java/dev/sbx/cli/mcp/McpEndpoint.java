package dev.sbx.cli.mcp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The control plane's {@code /mcp} over HTTP. {@code HttpURLConnection}, as the rest of the CLI:
 * measured at bin/sbx's JVM options, a first POST through {@code java.net.http} costs about a
 * second more at start-up, which an agent pays each time it launches {@code sbx mcp}.
 */
final class McpEndpoint {

  static final int CONNECT_TIMEOUT_MILLIS = 10_000;

  /** No read timeout: a tool call may run (and stay silent) for as long as its timeout says. */
  static final int NO_TIMEOUT = 0;

  private final String url;
  private final String token;

  /**
   * @param url the {@code /mcp} URL
   * @param token bearer token, or null for none
   */
  McpEndpoint(String url, String token) {
    this.url = url;
    this.token = token;
  }

  String url() {
    return url;
  }

  /** One answer to a POST: its status, and its body to read (empty for 202). */
  record Answer(int status, String contentType, String sessionId, HttpURLConnection connection)
      implements AutoCloseable {

    boolean isEventStream() {
      return contentType != null && contentType.startsWith("text/event-stream");
    }

    InputStream body() throws IOException {
      InputStream body = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
      return body == null ? InputStream.nullInputStream() : body;
    }

    /** The whole body as text; a body over {@code max} bytes is an error. */
    String text(int max) throws IOException {
      try (var in = body()) {
        var bytes = new ByteArrayOutputStream();
        var buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
          if (bytes.size() + n > max) {
            throw new MessageTooLargeException(max);
          }
          bytes.write(buffer, 0, n);
        }
        return bytes.toString(StandardCharsets.UTF_8);
      }
    }

    /** Drops the connection: for a body that will not be read to its end. */
    void abort() {
      connection.disconnect();
    }

    @Override
    public void close() {
      try {
        body().close();
      } catch (IOException e) {
        // Everything wanted from the body was read; a failure to close it changes nothing.
      }
    }
  }

  /** POSTs one JSON-RPC message and returns once the answer's status and headers are in. */
  Answer post(String message, Session session, int readTimeoutMillis) throws IOException {
    var connection = open("POST", session, readTimeoutMillis);
    connection.setRequestProperty("Accept", "application/json, text/event-stream");
    connection.setRequestProperty("Content-Type", "application/json");
    byte[] body = message.getBytes(StandardCharsets.UTF_8);
    connection.setDoOutput(true);
    // Streamed with its length: HttpURLConnection then never sends a POST a second time on its
    // own. The price: the body of a 401 is out of reach (HttpRetryException), so no detail then.
    connection.setFixedLengthStreamingMode(body.length);
    try (OutputStream out = connection.getOutputStream()) {
      out.write(body);
    }
    int status = connection.getResponseCode();
    return new Answer(
        status,
        connection.getContentType(),
        connection.getHeaderField("Mcp-Session-Id"),
        connection);
  }

  /** Ends the session on the server; returns the status of the answer. */
  int delete(Session session, int timeoutMillis) throws IOException {
    var connection = open("DELETE", session, timeoutMillis);
    connection.setConnectTimeout(timeoutMillis);
    int status = connection.getResponseCode();
    connection.disconnect();
    return status;
  }

  private HttpURLConnection open(String method, Session session, int readTimeoutMillis)
      throws IOException {
    var connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
    connection.setRequestMethod(method);
    connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
    connection.setReadTimeout(readTimeoutMillis);
    connection.setUseCaches(false);
    if (token != null) {
      connection.setRequestProperty("Authorization", "Bearer " + token);
    }
    if (session.id() != null) {
      connection.setRequestProperty("Mcp-Session-Id", session.id());
    }
    if (session.protocolVersion() != null) {
      connection.setRequestProperty("MCP-Protocol-Version", session.protocolVersion());
    }
    return connection;
  }
}
