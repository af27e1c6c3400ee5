package dev.sbx.cli.command;

/**
 * Time as waiting code sees it, so that tests need not wait for real (not java.time.Clock: this one
 * also sleeps).
 */
interface WaitClock {

  WaitClock SYSTEM =
      new WaitClock() {
        @Override
        public long millis() {
          return System.nanoTime() / 1_000_000;
        }

        @Override
        public void sleep(long millis) throws InterruptedException {
          Thread.sleep(millis);
        }
      };

  /** Milliseconds from an arbitrary origin; only differences mean anything. */
  long millis();

  void sleep(long millis) throws InterruptedException;
}
