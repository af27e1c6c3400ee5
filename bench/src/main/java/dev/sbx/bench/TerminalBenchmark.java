package dev.sbx.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Keystroke round trip of {@code /tty}: one byte typed over the WebSocket, until its echo comes
 * back, with {@code cat} on a raw terminal in the sandbox echoing it. Beside it, in the same
 * rounds, the same byte through a PTY relay on the host with no control plane ({@code script(1)}
 * running the same {@code cat}): the floor any terminal path pays. A real {@code kubectl exec -it}
 * needs a cluster, which this machine has not.
 */
final class TerminalBenchmark {

  private static final String RAW_CAT = "stty raw -echo; printf ready; exec cat";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final URI base;
  private final Scale scale;
  private final Results results;

  TerminalBenchmark(URI base, Scale scale, Results results) {
    this.base = base;
    this.scale = scale;
    this.results = results;
  }

  void run(Api api) throws Exception {
    var sandbox = api.create();
    var overWebSocket = new Samples();
    var overPty = new Samples();
    try (var tty = Tty.open(base, sandbox);
        var local = LocalPty.start()) {
      int keystrokes = Math.max(200, scale.hotRuns() / 2);
      for (int i = 0; i < keystrokes; i++) {
        // Alternating, so that a slower moment of the machine hits both alike.
        overWebSocket.addNanosAsMillis(tty.roundTrip((byte) ('a' + i % 26)));
        overPty.addNanosAsMillis(local.roundTrip((byte) ('a' + i % 26)));
      }
    } finally {
      api.delete(sandbox);
    }
    var method = "one byte typed until its echo, cat on a raw terminal";
    results.figure(
        "tty_keystroke_ms", Figure.of(overWebSocket, "ms", method + ", over /tty (WebSocket)"));
    results.figure(
        "tty_keystroke_local_pty_ms",
        Figure.of(overPty, "ms", method + ", through script(1) on the host: no control plane"));
    results.value("tty_keystroke_p50_ms", overWebSocket.percentile(50));
    results.value("tty_keystroke_p99_ms", overWebSocket.percentile(99));
    results.value("tty_keystroke_local_pty_p50_ms", overPty.percentile(50));
    results.value("tty_keystroke_local_pty_p99_ms", overPty.percentile(99));
  }

  /** A /tty session whose echoes arrive on a queue, with the moment each came. */
  private static final class Tty implements WebSocket.Listener, AutoCloseable {
    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    private WebSocket socket;

    static Tty open(URI base, String sandbox) throws Exception {
      var tty = new Tty();
      var query =
          "?command=sh&command=-c&command="
              + java.net.URLEncoder.encode(RAW_CAT, StandardCharsets.UTF_8);
      var uri =
          URI.create(base.toString().replace("http://", "ws://") + "/sandboxes/")
              .resolve(sandbox + "/tty" + query);
      tty.socket =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(uri, tty)
              .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      tty.await("ready");
      return tty;
    }

    private void await(String text) throws Exception {
      var seen = new StringBuilder();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!seen.toString().contains(text)) {
        var bytes = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (bytes == null) {
          throw new IOException("the terminal did not say " + text + "; got: " + seen);
        }
        seen.append(new String(bytes, StandardCharsets.UTF_8));
      }
    }

    long roundTrip(byte key) throws Exception {
      long start = System.nanoTime();
      socket.sendBinary(ByteBuffer.wrap(new byte[] {key}), true).join();
      var echo = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      long took = System.nanoTime() - start;
      if (echo == null || echo.length != 1 || echo[0] != key) {
        throw new IOException("the terminal did not echo the keystroke");
      }
      return took;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      var bytes = new byte[data.remaining()];
      data.get(bytes);
      received.add(bytes);
      ws.request(1);
      return null;
    }

    @Override
    public void close() {
      socket.sendBinary(ByteBuffer.wrap(new byte[] {4}), true); // ^D is only a byte in raw mode
      socket.abort();
    }
  }

  /** The same cat on a raw PTY that script(1) relays from pipes: no network, no control plane. */
  private static final class LocalPty implements AutoCloseable {
    private final Process process;
    private final OutputStream in;
    private final InputStream out;

    private LocalPty(Process process) {
      this.process = process;
      this.in = process.getOutputStream();
      this.out = process.getInputStream();
    }

    static LocalPty start() throws IOException {
      var pty =
          new LocalPty(
              new ProcessBuilder("script", "-qfec", RAW_CAT, "/dev/null")
                  .redirectError(ProcessBuilder.Redirect.DISCARD)
                  .start());
      var seen = new StringBuilder();
      while (!seen.toString().contains("ready")) {
        int b = pty.out.read();
        if (b < 0) {
          throw new IOException("script(1) ended before its terminal was ready: " + seen);
        }
        seen.append((char) b);
      }
      return pty;
    }

    long roundTrip(byte key) throws IOException {
      long start = System.nanoTime();
      in.write(key);
      in.flush();
      int echo = out.read();
      long took = System.nanoTime() - start;
      if (echo != key) {
        throw new IOException("script(1) did not echo the keystroke");
      }
      return took;
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }
}
