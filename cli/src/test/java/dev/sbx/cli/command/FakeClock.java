package dev.sbx.cli.command;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A clock that moves only when slept on, and remembers every pause. */
final class FakeClock implements WaitClock {

  final List<Long> sleeps = new CopyOnWriteArrayList<>();
  private volatile long now = 1_000;

  @Override
  public long millis() {
    return now;
  }

  @Override
  public void sleep(long millis) {
    sleeps.add(millis);
    now += millis;
  }
}
