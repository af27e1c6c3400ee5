package dev.sbx.controlplane.egress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * The few responses the proxy writes itself. The reason is one line of our own making (entries from
 * the policy, addresses in text form); it is checked once more here so that nothing could ever
 * split the response.
 */
final class ProxyResponses {

  static final String ESTABLISHED = "HTTP/1.1 200 Connection established\r\n\r\n";

  private ProxyResponses() {}

  /** A response whose status line and body both say why, and which closes the connection. */
  static ByteBuf refusal(ByteBufAllocator alloc, int status, String reason) {
    var line = printable(reason);
    var body = line + "\n";
    var text =
        "HTTP/1.1 "
            + status
            + " "
            + line
            + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
            + body.length()
            + "\r\nConnection: close\r\nProxy-Connection: close\r\n\r\n"
            + body;
    return ascii(alloc, text);
  }

  static ByteBuf ascii(ByteBufAllocator alloc, String text) {
    var bytes = text.getBytes(StandardCharsets.US_ASCII);
    return alloc.buffer(bytes.length).writeBytes(bytes);
  }

  /** At most 200 printable ASCII characters; anything else becomes '?'. */
  static String printable(String text) {
    var out = new StringBuilder(Math.min(text.length(), 200));
    for (int i = 0; i < text.length() && out.length() < 200; i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return out.toString();
  }
}
