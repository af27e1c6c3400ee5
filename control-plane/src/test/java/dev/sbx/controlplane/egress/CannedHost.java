package dev.sbx.controlplane.egress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A host that answers one connection with bytes written in advance, as a server on the internet
 * might, whatever they are: it reads the request's head, sends the interim answer if any, reads the
 * body, sends the answer and closes (or first reads all the proxy sends, until it closes).
 */
final class CannedHost implements AutoCloseable {

  private final ServerSocket server;
  private final CompletableFuture<String> received;

  private CannedHost(
      String address, @Nullable String interim, int bodyBytes, String answer, boolean readToEnd)
      throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getByName(address));
    received =
        CompletableFuture.supplyAsync(
            () -> {
              try (var socket = server.accept()) {
                var in = socket.getInputStream();
                var out = socket.getOutputStream();
                var seen = new ByteArrayOutputStream();
                readHead(in, seen);
                if (interim != null) {
                  out.write(interim.getBytes(StandardCharsets.ISO_8859_1));
                  out.flush();
                }
                seen.write(in.readNBytes(bodyBytes));
                out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                if (readToEnd) {
                  socket.setSoTimeout(10_000);
                  seen.write(in.readAllBytes());
                }
                return seen.toString(StandardCharsets.ISO_8859_1);
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
  }

  /** Answers a request without a body. */
  static CannedHost answering(String address, String answer) throws IOException {
    return new CannedHost(address, null, 0, answer, false);
  }

  /**
   * Answers as soon as the request's head came, then keeps reading until the proxy closes: what it
   * got is everything the proxy passed on, not just one request.
   */
  static CannedHost answeringThenReadingAll(String address, String answer) throws IOException {
    return new CannedHost(address, null, 0, answer, true);
  }

  /** Answers the head with {@code interim}, then, once the body came, with {@code answer}. */
  static CannedHost continuing(String address, String interim, int bodyBytes, String answer)
      throws IOException {
    return new CannedHost(address, interim, bodyBytes, answer, false);
  }

  int port() {
    return server.getLocalPort();
  }

  /** What the host got: the request's head and body. */
  String received() throws Exception {
    return received.get(10, TimeUnit.SECONDS);
  }

  private static void readHead(InputStream in, ByteArrayOutputStream seen) throws IOException {
    while (!seen.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        return;
      }
      seen.write(b);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
