package dev.sbx.controlplane.exec;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The subscribers a sandbox's {@link EventLog} pushes live events to, each with the exec it follows
 * (null: every exec) and the seq it asked to start from. Guarded by the log's lock.
 */
final class PushedSubscribers {

  /** A subscriber and what it wants. */
  record Filtered(Subscriber subscriber, @Nullable String execId, long fromSeq) {
    boolean wants(ExecEvent event) {
      return execId == null
          || (execId.equals(event.execId()) && (event.seq() >= fromSeq || event.isExit()));
    }
  }

  private final List<Filtered> subscribers = new ArrayList<>();

  void add(Filtered filtered) {
    subscribers.add(filtered);
  }

  void remove(Subscriber subscriber) {
    subscribers.removeIf(s -> s.subscriber() == subscriber);
  }

  /**
   * Offers a live event to those that want it, dropping each that refuses it; after an exec's exit
   * event its own subscribers are done too (they close after it).
   */
  void publish(ExecEvent event) {
    subscribers.removeIf(s -> s.wants(event) && !s.subscriber().offer(event));
    if (event.isExit()) {
      subscribers.removeIf(s -> event.execId().equals(s.execId()));
    }
  }

  /**
   * Whether every live subscriber that follows the exec is {@linkplain Subscriber#behind() behind};
   * false when nobody follows it. Holding output for that reason keeps a slow subscriber from
   * slowing a faster one: only when all of them are behind is there no point in reading on.
   */
  boolean allBehind(String execId) {
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

  int size() {
    return subscribers.size();
  }

  /** The sandbox was deleted: tells each subscriber, and lets go of them. */
  void closeAll() {
    subscribers.forEach(s -> s.subscriber().logClosed());
    subscribers.clear();
  }
}
