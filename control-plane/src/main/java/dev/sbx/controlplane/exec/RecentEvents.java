package dev.sbx.controlplane.exec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A sandbox's most recent events, of all its execs mixed, bounded in events and in bytes ({@link
 * ExecEvent#weight()}): the memory a new subscriber is replayed from. Guarded by the log's lock.
 */
final class RecentEvents implements Iterable<ExecEvent> {

  private final int capacity;
  private final long byteCapacity;
  private final ArrayDeque<ExecEvent> ring = new ArrayDeque<>();
  private long bytes;

  RecentEvents(int capacity, long byteCapacity) {
    this.capacity = capacity;
    this.byteCapacity = byteCapacity;
  }

  /**
   * Adds an event, then drops the oldest ones past either bound (never the newest), each handed to
   * {@code dropped}.
   *
   * @return how many were dropped
   */
  int add(ExecEvent event, Consumer<ExecEvent> dropped) {
    ring.addLast(event);
    bytes += event.weight();
    int count = 0;
    while (ring.size() > capacity || (bytes > byteCapacity && ring.size() > 1)) {
      var gone = ring.removeFirst();
      bytes -= gone.weight();
      dropped.accept(gone);
      count++;
    }
    return count;
  }

  /**
   * Sends a new subscriber what this holds for it: every event when it follows every exec; else its
   * exec's from its seq, after a {@code gap} for those that left, and the exec's exit when it ended
   * (remembered apart, so it always arrives).
   *
   * @param progress the exec's progress; null when it follows every exec or the exec is unknown
   * @return whether it should get live events next (false: it refused one, or its exec ended)
   */
  boolean replay(
      PushedSubscribers.Filtered filtered, @Nullable ExecProgress progress, String sandboxId) {
    var subscriber = filtered.subscriber();
    var execId = filtered.execId();
    if (execId == null) {
      for (var event : ring) {
        if (!subscriber.offer(event)) {
          return false;
        }
      }
      return true;
    }
    var buffered = new ArrayList<ExecEvent>();
    for (var event : ring) {
      if (filtered.wants(event)) {
        buffered.add(event);
      }
    }
    long firstAvailable =
        !buffered.isEmpty()
            ? buffered.get(0).seq()
            : progress == null
                ? 1
                : progress.exit != null ? progress.exit.seq() : progress.lastSeq + 1;
    long lastGone = Math.min(firstAvailable, progress == null ? 1 : progress.lastSeq + 1) - 1;
    long fromSeq = filtered.fromSeq();
    if (lastGone >= fromSeq
        && !subscriber.offer(ExecEvent.gap(sandboxId, execId, fromSeq, lastGone))) {
      return false;
    }
    for (var event : buffered) {
      if (!subscriber.offer(event)) {
        return false;
      }
    }
    if (progress != null && progress.exit != null) {
      if (buffered.isEmpty() || !buffered.get(buffered.size() - 1).isExit()) {
        subscriber.offer(progress.exit);
      }
      return false;
    }
    return true;
  }

  void clear() {
    ring.clear();
    bytes = 0;
  }

  @Override
  public Iterator<ExecEvent> iterator() {
    return ring.iterator();
  }
}
