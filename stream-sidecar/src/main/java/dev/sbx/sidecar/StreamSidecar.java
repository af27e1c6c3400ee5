package dev.sbx.sidecar;

import java.io.IOException;
import java.net.http.HttpClient;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The stream sidecar: pushes the output files of a sandbox's execs from the events folder to the
 * control plane's ingest WebSocket, and keeps at it across restarts of either side.
 */
public final class StreamSidecar implements AutoCloseable {

  private static final long FIRST_RETRY_MILLIS = 100;
  private static final long MAX_RETRY_MILLIS = 5000;

  private final Config config;
  private final HttpClient client = HttpClient.newHttpClient();
  private final Wakeup wakeup = new Wakeup();
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile Thread runner;

  StreamSidecar(Config config) {
    this.config = config;
  }

  public static void main(String[] args) {
    Config config;
    try {
      config = Config.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("stream-sidecar: " + e.getMessage());
      System.exit(2);
      return;
    }
    var sidecar = new StreamSidecar(config);
    Runtime.getRuntime().addShutdownHook(new Thread(sidecar::close, "stream-sidecar-shutdown"));
    if (!sidecar.run()) {
      System.exit(1);
    }
  }

  /** Runs the sidecar on a thread of its own until {@link #close()}. */
  StreamSidecar start() {
    new Thread(this::run, "stream-sidecar").start();
    return this;
  }

  /** Streams until closed; returns false when the events folder cannot be watched. */
  boolean run() {
    runner = Thread.currentThread();
    try (var folder = new EventsFolder(config.eventsDir(), wakeup)) {
      Log.info("streaming %s to %s", config.eventsDir(), config.ingestUri());
      var streamer = new Streamer(folder, wakeup);
      var backoff = new Backoff(FIRST_RETRY_MILLIS, MAX_RETRY_MILLIS);
      while (!isStopping()) {
        stopping.await(connectAndStream(streamer, backoff), TimeUnit.MILLISECONDS);
      }
      return true;
    } catch (IOException e) {
      Log.info("cannot watch the events folder %s: %s", config.eventsDir(), e);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    } finally {
      stopped.countDown();
    }
  }

  /** Stops streaming; what was acknowledged is saved already. */
  @Override
  public void close() {
    stopping.countDown();
    wakeup.signal();
    try {
      if (!stopped.await(2, TimeUnit.SECONDS)) {
        // Stuck in a handshake with an unresponsive control plane.
        var thread = runner;
        if (thread != null) {
          thread.interrupt();
        }
        stopped.await(2, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Returns how long to wait before the next connection attempt. */
  private long connectAndStream(Streamer streamer, Backoff backoff) throws InterruptedException {
    var uri = config.ingestUri();
    IngestConnection connection;
    try {
      connection = IngestConnection.open(client, config, wakeup);
    } catch (IOException e) {
      long delay = backoff.nextMillis();
      Log.info("cannot connect to %s: %s; retrying in %d ms", uri, e.getMessage(), delay);
      return delay;
    }
    Log.info("connected to %s", uri);
    long connectedAt = System.nanoTime();
    long answers = streamer.answers();
    String reason;
    try {
      reason = streamer.run(connection, this::isStopping);
    } finally {
      connection.close();
    }
    if (isStopping()) {
      Log.info("disconnected: stopping");
      return 0;
    }
    // Only a connection that worked resets the delay: a control plane that accepts and then
    // fails at once is not hammered ten times a second.
    long upMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connectedAt);
    if (streamer.answers() > answers || upMillis >= MAX_RETRY_MILLIS) {
      backoff.reset();
    }
    long delay = backoff.nextMillis();
    Log.info("disconnected: %s; reconnecting in %d ms", reason, delay);
    return delay;
  }

  private boolean isStopping() {
    return stopping.getCount() == 0;
  }
}
