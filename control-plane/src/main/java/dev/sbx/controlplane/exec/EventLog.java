package dev.sbx.controlplane.exec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The recent events of one sandbox, all execs mixed, bounded in events and in bytes, plus the live
 * subscribers. A subscriber gets the buffered events of its exec from the seq it asks for, then
 * live ones; both happen under one lock, so there is no gap and no duplicate between them. Events
 * that left the buffer are announced by a {@code gap} event, never skipped silently, and every
 * exec's last ({@code exit}) event is remembered apart, so it always reaches its subscribers.
 */
public final class EventLog {

  private static final int REMEMBERED_EXECS = 1_000;

  /** A subscriber's backlog beyond which it counts as behind, in {@link ExecEvent#weight()}. */
  public static final long BEHIND_BYTES = 8L << 20;

  private final String sandboxId;
  private final int capacity;
  private final long byteCapacity;
  private final ArrayDeque<ExecEvent> ring = new ArrayDeque<>();
  private long bytes;
  private final List<Filtered> subscribers = new ArrayList<>();
  private final Map<String, Progress> execs =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Progress> eldest) {
          return size() > REMEMBERED_EXECS;
        }
      };
  private boolean closed;

  /** How far an exec got: its last seq, and its exit event once it ended. */
  private static final class Progress {
    long lastSeq;
    @Nullable ExecEvent exit;
  }

  private record Filtered(Subscriber subscriber, @Nullable String execId, long fromSeq) {
    boolean wants(ExecEvent event) {
      return execId == null
          || (execId.equals(event.execId()) && (event.seq() >= fromSeq || event.isExit()));
    }
  }

  private final LongConsumer evicted;

  EventLog(String sandboxId, int capacity, long byteCapacity) {
    this(sandboxId, capacity, byteCapacity, count -> {});
  }

  EventLog(String sandboxId, int capacity, long byteCapacity, LongConsumer evicted) {
    this.evicted = evicted;
    this.sandboxId = sandboxId;
    this.capacity = capacity;
    this.byteCapacity = byteCapacity;
  }

  synchronized void append(ExecEvent event) {
    ring.addLast(event);
    bytes += event.weight();
    int dropped = 0;
    while (ring.size() > capacity || (bytes > byteCapacity && ring.size() > 1)) {
      bytes -= ring.removeFirst().weight();
      dropped++;
    }
    if (dropped > 0) {
      evicted.accept(dropped);
    }
    var progress = execs.computeIfAbsent(event.execId(), id -> new Progress());
    progress.lastSeq = event.seq();
    if (event.isExit()) {
      progress.exit = event;
    }
    subscribers.removeIf(s -> s.wants(event) && !s.subscriber().offer(event));
    if (event.isExit()) {
      // Its subscribers are done: they close after this event.
      subscribers.removeIf(s -> event.execId().equals(s.execId()));
    }
  }

  /**
   * Sends the subscriber what the buffer holds (of one exec from {@code fromSeq}, or of all execs
   * when execId is null), then keeps it for live events, until its exec's exit event.
   */
  public synchronized void subscribe(Subscriber subscriber, @Nullable String execId, long fromSeq) {
    if (closed) {
      // The sandbox is gone; an exec's end is still worth telling.
      var progress = execId == null ? null : execs.get(execId);
      if (progress != null && progress.exit != null) {
        subscriber.offer(progress.exit);
      }
      subscriber.logClosed();
      return;
    }
    var filtered = new Filtered(subscriber, execId, fromSeq);
    if (execId == null) {
      for (var event : ring) {
        if (!subscriber.offer(event)) {
          return;
        }
      }
      subscribers.add(filtered);
      return;
    }
    var progress = execs.get(execId);
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
    if (lastGone >= fromSeq
        && !subscriber.offer(ExecEvent.gap(sandboxId, execId, fromSeq, lastGone))) {
      return;
    }
    for (var event : buffered) {
      if (!subscriber.offer(event)) {
        return;
      }
    }
    if (progress != null && progress.exit != null) {
      if (buffered.isEmpty() || !buffered.get(buffered.size() - 1).isExit()) {
        subscriber.offer(progress.exit);
      }
      return;
    }
    subscribers.add(filtered);
  }

  public synchronized void unsubscribe(Subscriber subscriber) {
    subscribers.removeIf(s -> s.subscriber() == subscriber);
  }

  /**
   * Takes up an exec whose earlier events another process published (a control plane that
   * restarted): it goes on after {@code lastSeq}, and a subscriber asking for earlier seqs is told
   * they are gone.
   */
  synchronized void resume(String execId, long lastSeq) {
    var progress = execs.computeIfAbsent(execId, id -> new Progress());
    progress.lastSeq = Math.max(progress.lastSeq, lastSeq);
  }

  /** Whether an exec of this sandbox with that id has published events. */
  public synchronized boolean knows(String execId) {
    return execs.containsKey(execId);
  }

  /**
   * Whether every live subscriber that follows the exec is {@linkplain Subscriber#behind() behind};
   * false when nobody follows it. Holding output for that reason keeps a slow subscriber from
   * slowing a faster one: only when all of them are behind is there no point in reading on.
   */
  synchronized boolean allBehind(String execId) {
    boolean followed = false;
    for (var s : subscribers) {
      if (s.execId() == null || s.execId().equals(execId)) {
        if (!s.subscriber().behind()) {
          return false;
        }
        followed = true;
      }
    }
    return followed;
  }

  synchronized int subscriberCount() {
    return subscribers.size();
  }

  /** The sandbox was deleted: frees the buffer, keeping only each exec's end for late comers. */
  synchronized void close() {
    closed = true;
    ring.clear();
    bytes = 0;
    subscribers.forEach(s -> s.subscriber().logClosed());
    subscribers.clear();
  }
}
