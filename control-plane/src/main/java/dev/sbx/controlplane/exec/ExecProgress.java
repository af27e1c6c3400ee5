package dev.sbx.controlplane.exec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How far one exec got in its sandbox's {@link EventLog}: its last seq, its start and exit events,
 * its events still in the log's memory, and its followers. Guarded by the log's lock.
 */
final class ExecProgress {

  long lastSeq;
  long resumedThrough; // seqs published by an earlier control plane, unknown here
  @Nullable ExecEvent start;
  @Nullable ExecEvent exit;
  final ArrayDeque<ExecEvent> cached = new ArrayDeque<>();
  final List<Runnable> followers = new ArrayList<>(1);

  /** Records an event the log just took. */
  void published(ExecEvent event) {
    cached.addLast(event);
    lastSeq = event.seq();
    if (event instanceof ExecEvent.Start) {
      start = event;
    }
    if (event.isExit()) {
      exit = event;
    }
  }

  /**
   * The event at {@code seq} for a follower: the event; a {@code gap} up to the next event still
   * there when it was dropped; the exit once the follower got that far; null when it has not
   * happened yet.
   *
   * @param store where the sandbox's output is kept; null when in memory only
   * @param closed whether the sandbox was deleted
   * @param keptFailed the store could not give this seq when last asked: it is gone
   */
  @Nullable FollowStep step(
      String sandboxId,
      String execId,
      long seq,
      @Nullable OutputStore store,
      boolean closed,
      boolean keptFailed) {
    if (exit != null && seq >= exit.seq()) {
      return new FollowStep.Ready(exit);
    }
    if (seq > lastSeq) {
      return closed ? exit != null ? new FollowStep.Ready(exit) : new FollowStep.Closed() : null;
    }
    if (start != null && seq == start.seq()) {
      return new FollowStep.Ready(start);
    }
    var inMemory = cached(seq);
    if (inMemory != null) {
      return new FollowStep.Ready(inMemory);
    }
    var output = store == null || closed ? null : store.existing(execId);
    long firstKept = output == null ? 0 : output.firstKeptSeq();
    if (firstKept > 0 && seq >= firstKept && !keptFailed) {
      return new FollowStep.Kept(output, seq);
    }
    long nextThere =
        Math.min(
            firstCachedSeq(), Math.min(exit != null ? exit.seq() : lastSeq + 1, Long.MAX_VALUE));
    if (firstKept > seq) {
      nextThere = Math.min(nextThere, firstKept);
    }
    long to = keptFailed ? seq : Math.max(seq, nextThere - 1);
    long droppedBytes = seq <= resumedThrough || output == null ? -1 : output.droppedBytes();
    return new FollowStep.Ready(ExecEvent.gap(sandboxId, execId, seq, to, droppedBytes));
  }

  private @Nullable ExecEvent cached(long seq) {
    var first = cached.peekFirst();
    if (first == null || seq < first.seq() || seq > cached.peekLast().seq()) {
      return null;
    }
    boolean nearEnd = cached.peekLast().seq() - seq < seq - first.seq();
    var events = nearEnd ? cached.descendingIterator() : cached.iterator();
    while (events.hasNext()) {
      var event = events.next();
      if (event.seq() == seq) {
        return event;
      }
    }
    return null;
  }

  private long firstCachedSeq() {
    var first = cached.peekFirst();
    return first == null ? Long.MAX_VALUE : first.seq();
  }

  /** Wakes the followers and lets go of the events in memory. */
  void release() {
    cached.clear();
    followers.forEach(Runnable::run);
  }
}
