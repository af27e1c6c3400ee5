package dev.sbx.controlplane.files;

/**
 * The heap in use after a collection, sampled while a transfer runs in this JVM (the control plane
 * runs in the test's), so that a transfer held in memory shows as growth.
 */
final class HeapWatch implements AutoCloseable {

  private final long baseline;
  private final Thread sampler;
  private volatile boolean running = true;
  private volatile long max;

  HeapWatch() {
    baseline = usedAfterGc();
    max = baseline;
    sampler =
        new Thread(
            () -> {
              while (running) {
                max = Math.max(max, usedAfterGc());
                try {
                  Thread.sleep(200);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "heap-watch");
    sampler.setDaemon(true);
    sampler.start();
  }

  /** The most the heap grew past its size before, after a collection. */
  long growth() {
    return max - baseline;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    sampler.join();
  }

  private static long usedAfterGc() {
    System.gc();
    var runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
