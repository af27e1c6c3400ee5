package dev.sbx.controlplane.exec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The recent events of one sandbox, all execs mixed, in a ring of fixed size, plus the live
 * subscribers. A subscriber first gets the ring's events for its exec, then live ones: both happen
 * under one lock, so there is no gap and no duplicate between them.
 */
public final class EventLog {

  private static final int REMEMBERED_EXECS = 10_000;

  private final int capacity;
  private final ArrayDeque<ExecEvent> ring;
  private final List<Filtered> subscribers = new ArrayList<>();
  private final Map<String, Boolean> execs =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > REMEMBERED_EXECS;
        }
      };
  private boolean closed;

  private record Filtered(Subscriber subscriber, @Nullable String execId) {
    boolean wants(ExecEvent event) {
      return execId == null || execId.equals(event.execId());
    }
  }

  EventLog(int capacity) {
    this.capacity = capacity;
    this.ring = new ArrayDeque<>(capacity);
  }

  synchronized void append(ExecEvent event) {
    if (ring.size() == capacity) {
      ring.removeFirst();
    }
    ring.addLast(event);
    execs.put(event.execId(), Boolean.TRUE);
    subscribers.removeIf(s -> s.wants(event) && !s.subscriber().offer(event));
  }

  /**
   * Replays the ring's events (those of one exec, or all when execId is null) to the subscriber,
   * then keeps it for live ones.
   */
  public synchronized void subscribe(Subscriber subscriber, @Nullable String execId) {
    if (closed) {
      subscriber.logClosed();
      return;
    }
    var filtered = new Filtered(subscriber, execId);
    for (var event : ring) {
      if (filtered.wants(event) && !subscriber.offer(event)) {
        return;
      }
    }
    subscribers.add(filtered);
  }

  public synchronized void unsubscribe(Subscriber subscriber) {
    subscribers.removeIf(s -> s.subscriber() == subscriber);
  }

  /** Whether an exec of this sandbox with that id has published events. */
  public synchronized boolean knows(String execId) {
    return execs.containsKey(execId);
  }

  synchronized int subscriberCount() {
    return subscribers.size();
  }

  synchronized void close() {
    closed = true;
    ring.clear();
    subscribers.forEach(s -> s.subscriber().logClosed());
    subscribers.clear();
  }
}
