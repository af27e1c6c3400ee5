package dev.sbx.controlplane.runtime.local;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local warm pool: sandboxes started ahead from the configured defaults, each with its own
 * folder, host uid, cgroup, disk and running init, so that a create only has to take one. Starting
 * a sandbox is mostly bwrap setting up its mounts (about 30 ms here, five times a bare bwrap
 * spawn); taking a spare is a file write.
 *
 * <p>Spares are hidden from get, list and delete until taken. One thread makes them, one at a time,
 * and only while the pool is short, so a burst of creates drains it and then creates cold.
 */
final class SpareSandboxes implements AutoCloseable {

  private static final Logger logger = LoggerFactory.getLogger(SpareSandboxes.class);

  /**
   * Not at once after a take: the taker's first exec and the new spare's bwrap would share the CPU
   * and the kernel's mount lock (the disk spares measured 15 ms more to start when they met).
   */
  private static final long REFILL_DELAY_MILLIS = 200;

  /** Starts one spare sandbox, or throws when it cannot. */
  @FunctionalInterface
  interface Maker {
    LocalSandbox make() throws Exception;
  }

  private final int size;
  private final Maker maker;
  private final Consumer<LocalSandbox> discard;
  private final ConcurrentLinkedDeque<LocalSandbox> ready = new ConcurrentLinkedDeque<>();
  private final ScheduledExecutorService filler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            var t = new Thread(r, "sbx-spare-sandboxes");
            t.setDaemon(true);
            return t;
          });
  private volatile boolean closed;

  /**
   * @param size how many to keep ready
   * @param maker starts one
   * @param discard stops and removes one that is no longer wanted
   */
  SpareSandboxes(int size, Maker maker, Consumer<LocalSandbox> discard) {
    this.size = size;
    this.maker = maker;
    this.discard = discard;
  }

  int size() {
    return size;
  }

  /** Fills the pool in the background. */
  void start() {
    refill(0);
  }

  /** A ready spare, now the caller's; null when none is ready. */
  @Nullable LocalSandbox take() {
    LocalSandbox spare;
    while ((spare = ready.poll()) != null) {
      if (spare.running()) {
        refill(REFILL_DELAY_MILLIS);
        return spare;
      }
      discard.accept(spare); // its init died while it waited
    }
    refill(0);
    return null;
  }

  /** How many are ready now. */
  int ready() {
    return ready.size();
  }

  private void refill(long delayMillis) {
    try {
      filler.schedule(this::fill, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  private void fill() {
    while (!closed && ready.size() < size) {
      try {
        var spare = maker.make();
        if (closed) {
          discard.accept(spare);
          return;
        }
        ready.add(spare);
      } catch (Exception e) {
        if (closed) {
          return; // interrupted by close
        }
        logger.warn(
            "could not start a spare sandbox: {}",
            e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
        refill(5_000);
        return;
      }
    }
  }

  /** Stops making spares and removes those not taken. */
  @Override
  public void close() {
    closed = true;
    filler.shutdownNow();
    try {
      filler.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LocalSandbox spare;
    while ((spare = ready.poll()) != null) {
      discard.accept(spare);
    }
  }
}
