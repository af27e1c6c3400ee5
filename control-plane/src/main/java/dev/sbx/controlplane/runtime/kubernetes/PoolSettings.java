package dev.sbx.controlplane.runtime.kubernetes;

import java.time.Duration;

/**
 * The warm pool's and the reaper's settings, with the original's rules: a fixed {@code size}, or
 * autosize, where the pool aims for the number of creates in the last minute, clamped to [min, max]
 * (max 10 when autosize is on and max is not set).
 *
 * @param size fixed pool size (0: no fixed pool)
 * @param autosize whether the size follows demand
 * @param min autosize minimum
 * @param max autosize maximum
 * @param idleTtl idle time before a sandbox is reaped; 0 or less disables reaping
 * @param controlNamespace namespace of the leader-election Lease
 * @param createReadyTimeout how long a new sandbox may take to become Ready: a warm one that takes
 *     longer is retired, and the create-to-ready timer measures no longer
 */
record PoolSettings(
    int size,
    boolean autosize,
    int min,
    int max,
    Duration idleTtl,
    String controlNamespace,
    Duration createReadyTimeout) {

  static final Duration WINDOW = Duration.ofSeconds(60);

  static PoolSettings of(WarmPoolProperties properties) {
    boolean autosize = properties.warmPoolAutosize();
    int max = properties.warmPoolMax();
    return new PoolSettings(
        properties.warmPoolSize(),
        autosize,
        properties.warmPoolMin(),
        autosize && max == 0 ? 10 : max,
        properties.idleTtl(),
        properties.warmControlNamespace(),
        properties.createReadyTimeout());
  }

  boolean poolEnabled() {
    return autosize ? max > 0 || min > 0 : size > 0;
  }

  boolean reaping() {
    return idleTtl.compareTo(Duration.ZERO) > 0;
  }

  /** The pool's target for this many creates in the last minute. */
  int desired(int recentCreates) {
    if (!poolEnabled()) {
      return 0;
    }
    if (!autosize) {
      return size;
    }
    return Math.max(min, Math.min(max, recentCreates));
  }
}
