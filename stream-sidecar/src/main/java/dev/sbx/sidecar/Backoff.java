package dev.sbx.sidecar;

/** Delays between connection attempts: doubling from a first delay up to a cap. */
final class Backoff {

  private final long firstMillis;
  private final long maxMillis;
  private long nextMillis;

  Backoff(long firstMillis, long maxMillis) {
    this.firstMillis = firstMillis;
    this.maxMillis = maxMillis;
    this.nextMillis = firstMillis;
  }

  long nextMillis() {
    long delay = nextMillis;
    nextMillis = Math.min(nextMillis * 2, maxMillis);
    return delay;
  }

  void reset() {
    nextMillis = firstMillis;
  }
}
