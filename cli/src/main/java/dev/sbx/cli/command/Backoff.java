package dev.sbx.cli.command;

/** Delays between reconnections: 100 ms doubling to 2 s, until 30 s pass without progress. */
final class Backoff {

  static final long FIRST_MILLIS = 100;
  static final long MAX_MILLIS = 2_000;
  static final long GIVE_UP_MILLIS = 30_000;

  private final WaitClock clock;
  private long delay = FIRST_MILLIS;
  private long failingSince = -1;

  Backoff(WaitClock clock) {
    this.clock = clock;
  }

  static Backoff system() {
    return new Backoff(WaitClock.SYSTEM);
  }

  /** The last attempt got somewhere, so the next failure starts a fresh count. */
  void reset() {
    delay = FIRST_MILLIS;
    failingSince = -1;
  }

  /** Waits before the next attempt; false when it is time to give up instead. */
  boolean pause() {
    long now = clock.millis();
    if (failingSince < 0) {
      failingSince = now;
    }
    if (now - failingSince >= GIVE_UP_MILLIS) {
      return false;
    }
    try {
      clock.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    delay = Math.min(delay * 2, MAX_MILLIS);
    return true;
  }
}
