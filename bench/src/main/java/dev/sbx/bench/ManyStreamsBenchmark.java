package dev.sbx.bench;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code streams_200_heap_mb} and {@code control_plane_rss_mb}: the control plane's heap (after a
 * full GC) and resident memory while it holds 100 sandboxes, each running two commands that print a
 * line every two seconds, and one WebSocket subscriber per command.
 */
final class ManyStreamsBenchmark {

  private static final String[] TICKER = {"bash", "-c", "while :; do echo tick; sleep 2; done"};

  private final URI base;
  private final Scale scale;
  private final Results results;
  private final Jvm controlPlane;

  ManyStreamsBenchmark(URI base, Scale scale, Results results, Jvm controlPlane) {
    this.base = base;
    this.scale = scale;
    this.results = results;
    this.controlPlane = controlPlane;
  }

  void run() throws Exception {
    var sandboxes = Collections.synchronizedList(new ArrayList<String>());
    var execs = Collections.synchronizedList(new ArrayList<String[]>());
    var streams = new ArrayList<Stream>();
    var pool = Executors.newFixedThreadPool(4);
    try {
      long start = System.nanoTime();
      forEach(
          pool,
          scale.manySandboxes(),
          i -> {
            try (var api = new Api(base)) {
              var id = api.create();
              sandboxes.add(id);
              for (int s = 0; s < scale.streamsPerSandbox(); s++) {
                execs.add(new String[] {id, api.execAsync(id, TICKER)});
              }
            }
          });
      double setupSeconds = (System.nanoTime() - start) / 1e9;
      for (var exec : execs) {
        streams.add(Stream.open(base, exec[0], exec[1]));
      }
      for (var stream : streams) {
        stream.awaitFirstEvent();
      }
      Thread.sleep(3_000);
      measure(sandboxes.size(), streams, setupSeconds);
    } finally {
      streams.forEach(Stream::close);
      forEach(
          pool,
          sandboxes.size(),
          i -> {
            try (var api = new Api(base)) {
              api.delete(sandboxes.get(i));
            }
          });
      pool.shutdown();
    }
  }

  private void measure(int sandboxCount, List<Stream> streams, double setupSeconds)
      throws IOException, InterruptedException {
    var heap = new Samples();
    var rss = new Samples();
    for (int i = 0; i < 3; i++) {
      heap.add(controlPlane.heapAfterGcMb());
      rss.add(controlPlane.rssMb());
      Thread.sleep(1_000);
    }
    long open = streams.stream().filter(Stream::alive).count();
    String setup = sandboxCount + " sandboxes, " + open + " open streams";
    results.figure(
        "streams_" + streams.size() + "_heap_mb",
        Figure.of(heap, "MB", setup + "; heap used after jcmd GC.run (GC.heap_info), 1 s apart"));
    results.figure(
        "control_plane_rss_mb",
        Figure.of(rss, "MB", setup + "; VmRSS of /proc/<pid>/status, 1 s apart"));
    results.value("streams_200_heap_mb", streams.size() == 200 ? heap.median() : null);
    results.value("control_plane_rss_mb", rss.median());
    var detail = new LinkedHashMap<String, Object>();
    detail.put("sandboxes", sandboxCount);
    detail.put("open_streams", open);
    detail.put("events_received", streams.stream().mapToLong(s -> s.tally.events()).sum());
    detail.put("threads", controlPlane.threads());
    detail.put("open_files", controlPlane.openFiles());
    detail.put("setup_seconds", Figure.round(setupSeconds));
    detail.put("native_memory_committed_mb", controlPlane.nativeMemoryMb());
    results.detail("many_streams", detail);
  }

  private interface Task {
    void run(int index) throws Exception;
  }

  private static void forEach(ExecutorService pool, int count, Task task) throws Exception {
    var futures = new ArrayList<Future<?>>();
    for (int i = 0; i < count; i++) {
      int index = i;
      futures.add(
          pool.submit(
              () -> {
                task.run(index);
                return null;
              }));
    }
    for (var future : futures) {
      future.get(300, TimeUnit.SECONDS);
    }
  }

  /** One subscriber with its own reading thread. */
  private static final class Stream {
    private final StreamSubscription connection;
    private final StreamTally tally = new StreamTally();
    private final Thread reader;

    private Stream(StreamSubscription connection) {
      this.connection = connection;
      this.reader = new Thread(null, this::read, "stream", 256 * 1024);
      reader.setDaemon(true);
      reader.start();
    }

    static Stream open(URI base, String sandboxId, String execId) throws IOException {
      return new Stream(
          StreamSubscription.open(
              base, "/sandboxes/" + sandboxId + "/stream?exec_id=" + execId + "&from_seq=1"));
    }

    private void read() {
      try {
        connection.readAll(tally);
      } catch (IOException e) {
        // closed: alive() says so
      }
    }

    void awaitFirstEvent() throws InterruptedException, IOException {
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (tally.events() == 0) {
        if (!reader.isAlive() || System.nanoTime() > deadline) {
          throw new IOException("a stream got no event");
        }
        Thread.sleep(5);
      }
    }

    boolean alive() {
      return reader.isAlive();
    }

    void close() {
      connection.close();
    }
  }
}
