package dev.sbx.sidecar;

import java.util.concurrent.TimeUnit;

/**
 * Lets the streaming thread sleep until something it cares about happened: an answer from the
 * control plane, a change in the events folder, or a request to stop.
 */
final class Wakeup {

  private boolean pending;

  synchronized void signal() {
    pending = true;
    notifyAll();
  }

  /** Returns at the first signal since the last return, or after the timeout. */
  synchronized void await(long timeoutNanos) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    for (long left = timeoutNanos; !pending && left > 0; left = deadline - System.nanoTime()) {
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    pending = false;
  }
}
