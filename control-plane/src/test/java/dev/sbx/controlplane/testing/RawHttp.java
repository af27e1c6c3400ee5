package dev.sbx.controlplane.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 over a plain socket, for requests a real HTTP client refuses to send or rewrites (an
 * encoded slash or NUL in the path, TRACE): the bytes go out exactly as given.
 */
public final class RawHttp {

  private RawHttp() {}

  /** A response: status, headers with lower-case names, and the body. */
  public record Response(int status, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
    }
  }

  /** Sends the request, which must ask for {@code Connection: close}, and reads to the end. */
  public static Response exchange(int port, String request) throws IOException {
    try (var socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      var received = new ByteArrayOutputStream();
      socket.getInputStream().transferTo(received);
      return parse(received.toString(StandardCharsets.UTF_8));
    }
  }

  private static Response parse(String raw) {
    int end = raw.indexOf("\r\n\r\n");
    var head = (end < 0 ? raw : raw.substring(0, end)).split("\r\n");
    var headers = new TreeMap<String, String>();
    for (int i = 1; i < head.length; i++) {
      int colon = head[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            head[i].substring(colon + 1).trim());
      }
    }
    var body = end < 0 ? "" : raw.substring(end + 4);
    if (headers.getOrDefault("transfer-encoding", "").equalsIgnoreCase("chunked")) {
      body = dechunk(body);
    }
    return new Response(Integer.parseInt(head[0].split(" ")[1]), headers, body);
  }

  private static String dechunk(String chunked) {
    var body = new StringBuilder();
    int at = 0;
    while (true) {
      int lineEnd = chunked.indexOf("\r\n", at);
      int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
      if (size == 0) {
        return body.toString();
      }
      body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
      at = lineEnd + 2 + size + 2;
    }
  }
}
