package dev.sbx.controlplane.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native sbx-init's forward mode, as a sandbox's HTTP_PROXY reaches the egress proxy: every
 * byte each way, ends of input passed on as ends of output, a reader that stalls, many at once. Run
 * on the host against a stand-in proxy that echoes, or sends a download and closes.
 */
class NativeForwarderTest {

  private static final byte[] DATA = new byte[8 << 20];

  static {
    new Random(7).nextBytes(DATA);
  }

  @TempDir Path dir;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private ServerSocketChannel proxy;
  private Process forwarder;
  private int port;

  @BeforeEach
  void start() throws Exception {
    assumeTrue(InitProgram.nativeBuilt(), "built without a C compiler: no native sbx-init");
    var init = InitProgram.install(dir, true);
    assertThat(init).isNotNull();
    var socket = dir.resolve("proxy.sock");
    proxy = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    proxy.bind(UnixDomainSocketAddress.of(socket));
    threads.submit(this::serve);
    try (var probe = new java.net.ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    forwarder =
        new ProcessBuilder(
                init.host().toString(), "--forward", String.valueOf(port), socket.toString())
            .redirectErrorStream(true)
            .start();
    var said = new byte[10];
    assertThat(forwarder.getInputStream().readNBytes(said, 0, 10)).isEqualTo(10);
    assertThat(new String(said)).isEqualTo("listening\n");
  }

  @AfterEach
  void stop() throws IOException {
    if (forwarder != null) {
      forwarder.destroyForcibly();
    }
    threads.shutdownNow();
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  void anEchoShouldComeBackWholeAfterTheClientEndsItsInput() throws Exception {
    try (var client = connect()) {
      client.write(ByteBuffer.wrap(new byte[] {'e'}));
      var writer =
          threads.submit(
              () -> {
                client.write(ByteBuffer.wrap(DATA));
                client.shutdownOutput();
                return null;
              });
      TimeUnit.MILLISECONDS.sleep(500); // a reader that stalls while 8 MB wait in the forwarder
      assertThat(readAll(client)).isEqualTo(DATA);
      writer.get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aDownloadShouldArriveWholeWhenTheProxyClosesFirst() throws Exception {
    try (var client = connect()) {
      client.write(ByteBuffer.wrap(new byte[] {'d'}));
      TimeUnit.MILLISECONDS.sleep(500); // the proxy has sent all and closed before we read
      assertThat(readAll(client)).isEqualTo(DATA);
    }
  }

  @Test
  void twoHundredConnectionsAtOnceShouldEachGetTheirOwnBytes() throws Exception {
    var results = new ArrayList<Future<Boolean>>();
    for (int i = 0; i < 200; i++) {
      var mine = Arrays.copyOfRange(DATA, i * 1000, i * 1000 + 50_000);
      results.add(
          threads.submit(
              () -> {
                try (var client = connect()) {
                  client.write(ByteBuffer.wrap(new byte[] {'e'}));
                  client.write(ByteBuffer.wrap(mine));
                  client.shutdownOutput();
                  return Arrays.equals(readAll(client), mine);
                }
              }));
    }
    for (var result : results) {
      assertThat(result.get(60, TimeUnit.SECONDS)).isTrue();
    }
  }

  private SocketChannel connect() throws IOException {
    return SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
  }

  private static byte[] readAll(SocketChannel channel) throws IOException {
    var out = new java.io.ByteArrayOutputStream();
    var buffer = ByteBuffer.allocate(1 << 16);
    while (channel.read(buffer) >= 0) {
      out.write(buffer.array(), 0, buffer.position());
      buffer.clear();
    }
    return out.toByteArray();
  }

  /** The stand-in proxy: 'e' echoes until the end of input, 'd' sends DATA and closes. */
  private Void serve() throws IOException {
    while (true) {
      var connection = proxy.accept();
      threads.submit(
          () -> {
            try (connection) {
              var mode = ByteBuffer.allocate(1);
              connection.read(mode);
              if (mode.get(0) == 'd') {
                connection.write(ByteBuffer.wrap(DATA));
                return null;
              }
              var buffer = ByteBuffer.allocate(1 << 16);
              while (connection.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                  connection.write(buffer);
                }
                buffer.clear();
              }
              connection.shutdownOutput();
            }
            return null;
          });
    }
  }
}
