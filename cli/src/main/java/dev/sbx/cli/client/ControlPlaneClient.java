package dev.sbx.cli.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Calls the control plane's HTTP API and returns the response bodies as JSON text.
 *
 * <p>{@code HttpURLConnection} rather than {@code java.net.http}: the latter costs about 450 ms on
 * first use, more than the whole budget for a short {@code sbx exec}.
 */
public final class ControlPlaneClient {

  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  private static final int READ_TIMEOUT_MILLIS = 60_000;
  private static final int NO_TIMEOUT = 0;

  private final String baseUrl;
  private final String token;
  private final String userAgent = "sbx/" + Version.get();

  /**
   * @param baseUrl e.g. {@code http://localhost:8080}, without a trailing slash
   * @param token bearer token, or {@code null} for none
   */
  public ControlPlaneClient(String baseUrl, String token) {
    this.baseUrl = baseUrl;
    this.token = token;
  }

  /** Which control plane this is: {@code {"version":"...","runtime":"..."}}. */
  public String version() {
    return send("GET", "/version", null, READ_TIMEOUT_MILLIS);
  }

  public String createSandbox(String json) {
    return send("POST", "/sandboxes", json, READ_TIMEOUT_MILLIS);
  }

  public String listSandboxes() {
    return send("GET", "/sandboxes", null, READ_TIMEOUT_MILLIS);
  }

  public String getSandbox(String id) {
    return send("GET", sandbox(id), null, READ_TIMEOUT_MILLIS);
  }

  public String deleteSandbox(String id) {
    return send("DELETE", sandbox(id), null, READ_TIMEOUT_MILLIS);
  }

  /** Starts a command; a synchronous one may run for as long as it likes, so no read timeout. */
  public String exec(String id, String json, boolean waitForExit) {
    return send(
        "POST",
        sandbox(id) + "/exec",
        json,
        CONNECT_TIMEOUT_MILLIS,
        waitForExit ? NO_TIMEOUT : READ_TIMEOUT_MILLIS);
  }

  /** The sandbox's last connection attempts through the egress proxy. */
  public String egress(String id) {
    return send("GET", sandbox(id) + "/egress", null, READ_TIMEOUT_MILLIS);
  }

  public String listExecs(String id) {
    return send("GET", sandbox(id) + "/execs", null, READ_TIMEOUT_MILLIS);
  }

  /** Stops an exec; the server answers once it has ended, so allow for its kill grace. */
  public String cancelExec(String id, String execId) {
    return cancelExec(id, execId, READ_TIMEOUT_MILLIS);
  }

  /** Stops an exec, giving up after {@code timeoutMillis} to connect and again to answer. */
  public String cancelExec(String id, String execId, int timeoutMillis) {
    return send(
        "POST",
        sandbox(id) + "/execs/" + escape(execId) + "/cancel",
        null,
        Math.min(timeoutMillis, CONNECT_TIMEOUT_MILLIS),
        timeoutMillis);
  }

  /** Receives the chunks of an exec's output as they are read. */
  public interface OutputSink {
    void write(byte[] chunk, int length);
  }

  /**
   * Copies one stream of an exec's output (stdout or stderr) from byte {@code offset}, following
   * the exec until it ends when {@code follow}.
   *
   * @throws ControlPlaneUnreachableException when the connection fails or breaks; the bytes copied
   *     up to then were delivered to the sink, which knows where to resume
   */
  public void output(
      String id, String execId, String stream, long offset, boolean follow, OutputSink sink) {
    String path =
        sandbox(id)
            + "/execs/"
            + escape(execId)
            + "/output?stream="
            + escape(stream)
            + "&offset="
            + offset
            + "&follow="
            + follow;
    try {
      var connection = (HttpURLConnection) URI.create(baseUrl + path).toURL().openConnection();
      connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
      // Following waits for output for as long as the exec is quiet: no read timeout then.
      connection.setReadTimeout(follow ? NO_TIMEOUT : READ_TIMEOUT_MILLIS);
      connection.setRequestProperty("User-Agent", userAgent);
      if (token != null) {
        connection.setRequestProperty("Authorization", authorization());
      }
      failOnError(connection);
      try (var in = connection.getInputStream()) {
        var buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
          sink.write(buffer, n);
        }
      }
    } catch (IOException e) {
      throw new ControlPlaneUnreachableException(baseUrl, e);
    }
  }

  /** Where a transfer got to, for a progress line. */
  public interface Progress {
    void moved(long bytes);
  }

  /** {@code GET .../files}: a folder's entries, or a file's one. */
  public String listFiles(String id, String path, boolean recursive) {
    return send(
        "GET",
        sandbox(id) + "/files?path=" + escape(path) + (recursive ? "&recursive=true" : ""),
        null,
        READ_TIMEOUT_MILLIS);
  }

  /**
   * Streams {@code length} bytes from {@code in} to a file in the sandbox; answers the control
   * plane's JSON (empty when it replaced a file, which answers 204).
   */
  public String upload(String id, String path, InputStream in, long length, Progress progress) {
    return put(sandbox(id) + "/files/content?path=" + escape(path), in, length, progress);
  }

  /** Streams a tar from {@code in} (length unknown) to be extracted under a sandbox's folder. */
  public String uploadArchive(String id, String folder, InputStream in, Progress progress) {
    return put(sandbox(id) + "/files/archive?path=" + escape(folder), in, -1, progress);
  }

  private String put(String route, InputStream in, long length, Progress progress) {
    try {
      var connection = connect(route, NO_TIMEOUT);
      connection.setRequestMethod("PUT");
      connection.setRequestProperty("Content-Type", "application/octet-stream");
      connection.setDoOutput(true);
      if (length >= 0) {
        connection.setFixedLengthStreamingMode(length);
      } else {
        connection.setChunkedStreamingMode(256 * 1024);
      }
      try (var out = connection.getOutputStream()) {
        var buffer = new byte[256 * 1024];
        long moved = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
          out.write(buffer, 0, n);
          moved += n;
          progress.moved(moved);
        }
      }
      failOnError(connection);
      return read(connection.getInputStream());
    } catch (IOException e) {
      throw new ControlPlaneUnreachableException(baseUrl, e);
    }
  }

  /**
   * Streams a file of the sandbox to {@code out}; returns its length, checked against what the
   * control plane announced, so that a cut transfer is an error and not a short file.
   */
  public long download(String id, String path, OutputStream out, Progress progress)
      throws IOException {
    return get(sandbox(id) + "/files/content?path=" + escape(path), out, progress);
  }

  /** Streams a sandbox's folder as a tar to {@code out}; a cut transfer is an IOException. */
  public long downloadArchive(String id, String folder, OutputStream out, Progress progress)
      throws IOException {
    return get(sandbox(id) + "/files/archive?path=" + escape(folder), out, progress);
  }

  private long get(String route, OutputStream out, Progress progress) throws IOException {
    HttpURLConnection connection;
    try {
      connection = connect(route, NO_TIMEOUT);
      failOnError(connection);
    } catch (IOException e) {
      throw new ControlPlaneUnreachableException(baseUrl, e);
    }
    long expected = connection.getContentLengthLong();
    long moved = 0;
    try (var in = connection.getInputStream()) {
      var buffer = new byte[256 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        out.write(buffer, 0, n);
        moved += n;
        progress.moved(moved);
      }
    } catch (IOException e) {
      throw new IOException("the download broke off after " + moved + " bytes: " + e.getMessage());
    }
    if (expected >= 0 && moved != expected) {
      throw new IOException("the download broke off: " + moved + " of " + expected + " bytes");
    }
    return moved;
  }

  private HttpURLConnection connect(String path, int readTimeoutMillis) throws IOException {
    var connection = (HttpURLConnection) URI.create(baseUrl + path).toURL().openConnection();
    connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
    connection.setReadTimeout(readTimeoutMillis);
    connection.setRequestProperty("User-Agent", userAgent);
    if (token != null) {
      connection.setRequestProperty("Authorization", authorization());
    }
    return connection;
  }

  /** Subscribes to one exec's events, replayed from {@code fromSeq} and then live. */
  public WebSocketClient openStream(String id, String execId, long fromSeq) {
    return openStream(id, execId, fromSeq, false);
  }

  /**
   * Subscribes to one exec's events; with {@code binary}, output comes as binary frames of exact
   * bytes (control planes that predate them send JSON, which is read all the same).
   */
  public WebSocketClient openStream(String id, String execId, long fromSeq, boolean binary) {
    String wsUrl =
        (baseUrl.startsWith("https:") ? "wss" : "ws") + baseUrl.substring(baseUrl.indexOf(':'));
    String query =
        "?exec_id=" + escape(execId) + "&from_seq=" + fromSeq + (binary ? "&format=binary" : "");
    try {
      return WebSocketClient.connect(
          URI.create(wsUrl + sandbox(id) + "/stream" + query), authorization(), userAgent);
    } catch (IOException e) {
      throw new ControlPlaneUnreachableException(baseUrl, e);
    }
  }

  /**
   * Opens a terminal session, {@code /sandboxes/{id}/tty} with the query given (starting with
   * {@code ?}, its values escaped).
   */
  public WebSocketClient openTerminal(String id, String query) {
    String wsUrl =
        (baseUrl.startsWith("https:") ? "wss" : "ws") + baseUrl.substring(baseUrl.indexOf(':'));
    try {
      return WebSocketClient.connect(
          URI.create(wsUrl + sandbox(id) + "/tty" + query), authorization(), userAgent);
    } catch (IOException e) {
      throw new ControlPlaneUnreachableException(baseUrl, e);
    }
  }

  private String send(String method, String path, String json, int readTimeoutMillis) {
    return send(method, path, json, CONNECT_TIMEOUT_MILLIS, readTimeoutMillis);
  }

  private String send(
      String method, String path, String json, int connectTimeoutMillis, int readTimeoutMillis) {
    try {
      var connection = (HttpURLConnection) URI.create(baseUrl + path).toURL().openConnection();
      connection.setConnectTimeout(connectTimeoutMillis);
      connection.setReadTimeout(readTimeoutMillis);
      connection.setRequestMethod(method);
      connection.setRequestProperty("Accept", "application/json");
      connection.setRequestProperty("User-Agent", userAgent);
      if (token != null) {
        connection.setRequestProperty("Authorization", authorization());
      }
      if (json != null) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        connection.setRequestProperty("Content-Type", "application/json");
        connection.setDoOutput(true);
        try (OutputStream out = connection.getOutputStream()) {
          out.write(body);
        }
      }
      failOnError(connection);
      return read(connection.getInputStream());
    } catch (IOException e) {
      throw new ControlPlaneUnreachableException(baseUrl, e);
    }
  }

  /** Throws the control plane's problem when it answered with an error status. */
  private static void failOnError(HttpURLConnection connection) throws IOException {
    int status = connection.getResponseCode();
    if (status >= 400) {
      String body = read(connection.getErrorStream());
      throw ApiException.of(
          status, connection.getResponseMessage(), connection.getContentType(), body);
    }
  }

  private String authorization() {
    return token == null ? null : "Bearer " + token;
  }

  private static String read(InputStream in) throws IOException {
    if (in == null) {
      return "";
    }
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String sandbox(String id) {
    return "/sandboxes/" + escape(id);
  }

  // Ids are DNS labels and hex today; escaping anyway keeps a stray '/', '?' or '&' from changing
  // the route or the query.
  private static String escape(String segment) {
    var path = new StringBuilder();
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~".indexOf(c) >= 0) {
        path.append(c);
      } else {
        path.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        path.append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return path.toString();
  }
}
