package dev.sbx.cli.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/** The client side of the RFC 6455 opening handshake, over a socket that is already connected. */
final class Handshake {

  private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final int MAX_LINE = 8 << 10;
  private static final int MAX_ERROR_BODY = 64 << 10;

  private Handshake() {}

  static void perform(
      URI uri,
      String authorization,
      String userAgent,
      InputStream in,
      OutputStream out,
      Random random)
      throws IOException {
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    String key = Base64.getEncoder().encodeToString(nonce);
    out.write(request(uri, key, authorization, userAgent).getBytes(StandardCharsets.ISO_8859_1));
    out.flush();

    String statusLine = line(in);
    Map<String, String> headers = headers(in);
    String[] parts = statusLine.split(" ", 3);
    int status = parts.length > 1 && parts[0].startsWith("HTTP/") ? parseStatus(parts[1]) : -1;
    if (status < 0) {
      throw new ProtocolException("not an HTTP response to the WebSocket handshake: " + statusLine);
    }
    if (status != 101) {
      String reason = parts.length > 2 ? parts[2] : "";
      throw ApiException.of(status, reason, headers.get("content-type"), body(in, headers));
    }
    String expected = Base64.getEncoder().encodeToString(Sha1.digest(key + ACCEPT_GUID));
    if (!"websocket".equalsIgnoreCase(headers.get("upgrade"))
        || !expected.equals(headers.get("sec-websocket-accept"))) {
      throw new ProtocolException("the server did not accept the WebSocket handshake");
    }
  }

  private static String request(URI uri, String key, String authorization, String userAgent) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      path += "?" + uri.getRawQuery();
    }
    var request = new StringBuilder();
    request.append("GET ").append(path).append(" HTTP/1.1\r\n");
    request.append("Host: ").append(uri.getRawAuthority()).append("\r\n");
    request.append("Upgrade: websocket\r\nConnection: Upgrade\r\n");
    request.append("Sec-WebSocket-Key: ").append(key).append("\r\n");
    request.append("Sec-WebSocket-Version: 13\r\n");
    request.append("User-Agent: ").append(userAgent).append("\r\n");
    if (authorization != null) {
      request.append("Authorization: ").append(authorization).append("\r\n");
    }
    return request.append("\r\n").toString();
  }

  private static int parseStatus(String code) {
    try {
      return Integer.parseInt(code);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Map<String, String> headers(InputStream in) throws IOException {
    var headers = new HashMap<String, String>();
    for (String line = line(in); !line.isEmpty(); line = line(in)) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.put(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
    }
    return headers;
  }

  private static String line(InputStream in) throws IOException {
    var line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new ProtocolException("connection closed during the WebSocket handshake");
      }
      if (line.size() > MAX_LINE) {
        throw new ProtocolException("WebSocket handshake header too long");
      }
      line.write(b);
    }
    String text = line.toString(StandardCharsets.ISO_8859_1);
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }

  private static String body(InputStream in, Map<String, String> headers) throws IOException {
    var body = new ByteArrayOutputStream();
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      for (int size = chunkSize(in);
          size > 0 && body.size() < MAX_ERROR_BODY;
          size = chunkSize(in)) {
        // A chunk may claim up to 2 GiB: read no more of it than the problem can use.
        body.write(in.readNBytes(Math.min(size, MAX_ERROR_BODY - body.size())));
        if (body.size() >= MAX_ERROR_BODY) {
          break;
        }
        line(in);
      }
    } else if (headers.containsKey("content-length")) {
      long length = number(headers.get("content-length"), 10);
      body.write(in.readNBytes((int) Math.max(0, Math.min(length, MAX_ERROR_BODY))));
    } else {
      body.write(in.readNBytes(MAX_ERROR_BODY));
    }
    return body.toString(StandardCharsets.UTF_8);
  }

  private static int chunkSize(InputStream in) throws IOException {
    String line = line(in);
    int extension = line.indexOf(';');
    long size = number((extension < 0 ? line : line.substring(0, extension)).trim(), 16);
    return (int) Math.min(size, Integer.MAX_VALUE);
  }

  // A malformed number is the server's protocol error, not a crash of the CLI.
  private static long number(String text, int radix) throws ProtocolException {
    try {
      return Long.parseLong(text, radix);
    } catch (NumberFormatException e) {
      throw new ProtocolException("malformed length in the handshake answer: " + text);
    }
  }
}
