package dev.sbx.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection, used by one thread at a time. Plain sockets rather than
 * java.net.http: its selector thread adds hand-offs to every request, and this driver measures the
 * server's latency, not the client's. Not the CLI's ControlPlaneClient either, as streams use the
 * CLI's WebSocket client: it is HttpURLConnection, throws on 4xx rather than answering the status,
 * and cannot count reconnects, which the report gives. Tomcat closes a connection after 100
 * requests; the next request then opens a new one, and that cost stays in the measurement as a real
 * client pays it.
 */
final class HttpConnection implements Closeable {

  /**
   * An answer.
   *
   * @param status the HTTP status
   * @param body the body as text
   */
  record Response(int status, String body) {}

  private final String host;
  private final int port;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private int reconnects;

  HttpConnection(URI base) {
    this.host = base.getHost();
    this.port = base.getPort();
  }

  Response post(String path, String json) throws IOException {
    return request("POST", path, json);
  }

  Response get(String path) throws IOException {
    return request("GET", path, null);
  }

  Response delete(String path) throws IOException {
    return request("DELETE", path, null);
  }

  /** How many times a connection was opened after the first. */
  int reconnects() {
    return reconnects;
  }

  Response request(String method, String path, String json) throws IOException {
    byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
    var head = new StringBuilder(160);
    head.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ");
    head.append(host).append(':').append(port).append("\r\n");
    if (json != null) {
      head.append("Content-Type: application/json\r\n");
    }
    head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    var bytes = new ByteArrayOutputStream(head.length() + body.length);
    bytes.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    bytes.writeBytes(body);
    boolean reused = socket != null;
    try {
      return exchange(bytes.toByteArray());
    } catch (IOException e) {
      close();
      if (!reused) {
        throw e;
      }
      // The server may drop an idle keep-alive connection just as we reuse it: once more, fresh.
      return exchange(bytes.toByteArray());
    }
  }

  private Response exchange(byte[] request) throws IOException {
    if (socket == null) {
      open();
    }
    out.write(request);
    out.flush();
    var status = line();
    if (status.isEmpty()) {
      throw new EOFException("connection closed before the answer");
    }
    int code = Integer.parseInt(status.split(" ", 3)[1]);
    long length = -1;
    boolean chunked = false;
    boolean closeAfter = false;
    for (var header = line(); !header.isEmpty(); header = line()) {
      int colon = header.indexOf(':');
      var name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      var value = header.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "connection" -> closeAfter = value.equalsIgnoreCase("close");
        default -> {}
      }
    }
    var body = chunked ? chunkedBody() : in.readNBytes((int) Math.max(0, length));
    if (closeAfter) {
      close();
    }
    return new Response(code, new String(body, StandardCharsets.UTF_8));
  }

  private void open() throws IOException {
    if (in != null) {
      reconnects++;
    }
    socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), 5_000);
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(120_000);
    in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    out = socket.getOutputStream();
  }

  private byte[] chunkedBody() throws IOException {
    var body = new ByteArrayOutputStream();
    while (true) {
      var sizeLine = line();
      int semicolon = sizeLine.indexOf(';');
      int size = Integer.parseInt(semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon), 16);
      if (size == 0) {
        while (!line().isEmpty()) {
          // trailers
        }
        return body.toByteArray();
      }
      body.writeBytes(in.readNBytes(size));
      line();
    }
  }

  private String line() throws IOException {
    var line = new StringBuilder(64);
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r'
            ? line.substring(0, end - 1)
            : line.toString();
      }
      line.append((char) c);
    }
    return line.toString();
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // nothing to release
      }
    }
    socket = null;
  }
}
