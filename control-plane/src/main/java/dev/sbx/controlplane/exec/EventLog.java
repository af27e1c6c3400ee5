package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.runtime.OutputStreamKind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The events of one sandbox's execs: the recent ones in memory (all execs mixed, bounded in events
 * and in bytes), every exec's output on disk in its {@link OutputStore} while it is retained, plus
 * the live subscribers.
 *
 * <p>A follower of one exec ({@link #follow}) pulls: it asks for the event at its next seq ({@link
 * #next}), served from memory when it is recent and from the store otherwise, and is woken when its
 * exec publishes. It holds nothing but its position, so it can fall any distance behind and still
 * get every byte the store kept; only what the store dropped to stay in its budget becomes a {@code
 * gap}, which says how many bytes went.
 *
 * <p>A subscriber to every exec of the sandbox ({@link #subscribe} without an exec) is pushed the
 * events instead, from memory only. A subscriber gets the buffered events of its exec from the seq
 * it asks for, then live ones; both happen under one lock, so there is no gap and no duplicate
 * between them. Events that left the buffer are announced by a {@code gap} event, never skipped
 * silently, and every exec's last ({@code exit}) event is remembered apart, so it always reaches
 * its subscribers.
 */
public final class EventLog {

  private static final int REMEMBERED_EXECS = 1_000;

  /** A subscriber's backlog beyond which it counts as behind, in {@link ExecEvent#weight()}. */
  public static final long BEHIND_BYTES = 8L << 20;

  private final String sandboxId;
  private final RecentEvents ring;
  private final Consumer<ExecEvent> uncache; // an event left the ring: it leaves its exec's cache
  private final PushedSubscribers subscribers = new PushedSubscribers();
  private final Map<String, ExecProgress> execs =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ExecProgress> eldest) {
          if (size() > REMEMBERED_EXECS) {
            forgetOutput(eldest.getKey());
            return true;
          }
          return false;
        }
      };
  private final @Nullable OutputStore store;
  private final LongConsumer evicted;
  private boolean closed;
  private int awaiting; // handshakes waiting in awaitKnown

  EventLog(String sandboxId, int capacity, long byteCapacity) {
    this(sandboxId, capacity, byteCapacity, count -> {}, null);
  }

  /**
   * @param store where output is kept on disk; null keeps it in memory only
   */
  EventLog(
      String sandboxId,
      int capacity,
      long byteCapacity,
      LongConsumer evicted,
      @Nullable OutputStore store) {
    this.evicted = evicted;
    this.store = store;
    this.sandboxId = sandboxId;
    this.ring = new RecentEvents(capacity, byteCapacity);
    // One instance, not a lambda per event: append runs for every chunk of output.
    this.uncache =
        gone -> {
          var of = execs.get(gone.execId());
          if (of != null) {
            of.cached.pollFirst();
          }
        };
  }

  synchronized void append(ExecEvent event) {
    var progress = execs.computeIfAbsent(event.execId(), id -> new ExecProgress());
    progress.published(event);
    wakeAwaiting();
    int dropped = ring.add(event, uncache);
    if (dropped > 0) {
      evicted.accept(dropped);
    }
    if (event.isExit() && store != null) {
      store.forExec(event.execId()).seal();
    }
    progress.followers.forEach(Runnable::run);
    subscribers.publish(event);
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
    var filtered = new PushedSubscribers.Filtered(subscriber, execId, fromSeq);
    var progress = execId == null ? null : execs.get(execId);
    if (ring.replay(filtered, progress, sandboxId)) {
      subscribers.add(filtered);
    }
  }

  /**
   * Keeps an exec's raw output bytes, before they become events, so that every byte is there to
   * replay and to read over HTTP. Called before the events that carry them are appended.
   *
   * @param at where they start in the stream, when the writer knows (-1: right after the last)
   */
  void write(String execId, OutputStreamKind stream, byte[] data, int length, long at) {
    if (store != null) {
      store.charge(store.forExec(execId).write(stream, data, length, at));
    }
  }

  /**
   * Indexes an output event whose bytes were {@linkplain #write written}; before it is appended.
   */
  void index(ExecEvent.Output event, int byteLength) {
    if (store != null) {
      store.charge(store.forExec(event.execId()).index(event, byteLength));
    }
  }

  /**
   * Starts waking {@code wake} each time the exec publishes an event; it then asks {@link #next}.
   */
  public synchronized void follow(String execId, Runnable wake) {
    if (closed) {
      wake.run();
      return;
    }
    execs.computeIfAbsent(execId, id -> new ExecProgress()).followers.add(wake);
  }

  public synchronized void unfollow(String execId, Runnable wake) {
    var progress = execs.get(execId);
    if (progress != null) {
      progress.followers.remove(wake);
    }
  }

  /**
   * The exec's event at {@code seq} for a follower: the event; a {@code gap} up to the next event
   * still there when it was dropped; the exit once the follower got that far; null when it has not
   * happened yet.
   *
   * @param keptFailed the store could not give this seq when last asked: it is gone
   */
  public synchronized @Nullable FollowStep next(String execId, long seq, boolean keptFailed) {
    var progress = execs.get(execId);
    if (progress == null) {
      return new FollowStep.Closed(); // forgotten: its status is no longer retained
    }
    return progress.step(sandboxId, execId, seq, store, closed, keptFailed);
  }

  String sandboxId() {
    return sandboxId;
  }

  /** Whether the exec ended, or its sandbox was deleted: no more of its output will come. */
  synchronized boolean ended(String execId) {
    var progress = execs.get(execId);
    return closed || (progress != null && progress.exit != null);
  }

  public synchronized void unsubscribe(Subscriber subscriber) {
    subscribers.remove(subscriber);
  }

  /**
   * Takes up an exec whose earlier events another process published (a control plane that
   * restarted): it goes on after {@code lastSeq}, and a subscriber asking for earlier seqs is told
   * they are gone.
   */
  synchronized void resume(String execId, long lastSeq) {
    var progress = execs.computeIfAbsent(execId, id -> new ExecProgress());
    progress.lastSeq = Math.max(progress.lastSeq, lastSeq);
    progress.resumedThrough = Math.max(progress.resumedThrough, lastSeq);
    wakeAwaiting();
  }

  /**
   * Takes up an exec an earlier run of the control plane published, from what it left on disk: its
   * start, its output (served from the store, which {@link #store()} took up first), and its exit
   * when it had ended.
   */
  synchronized void restore(ExecEvent.Start start, long lastSeq, ExecEvent.@Nullable Exit exit) {
    var progress = execs.computeIfAbsent(start.execId(), id -> new ExecProgress());
    progress.start = start;
    progress.lastSeq = Math.max(progress.lastSeq, lastSeq);
    if (exit != null) {
      progress.exit = exit;
      progress.lastSeq = Math.max(progress.lastSeq, exit.seq());
    }
    wakeAwaiting();
  }

  /** Saves a finished exec's summary beside its output when the store outlives us. */
  void keepSummary(ExecView view, ExecEvent.Exit exit) {
    if (store != null && store.durable()) {
      ExecSummary.keepLater(store, view, exit);
    }
  }

  /** Where this sandbox's output is kept; null when it is kept in memory only. */
  @Nullable OutputStore store() {
    return store;
  }

  /**
   * Waits until an exec of this sandbox with that id is known, at most {@code timeoutNanos}.
   *
   * @return whether it is known
   */
  synchronized boolean awaitKnown(String execId, long timeoutNanos) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    awaiting++;
    try {
      while (!execs.containsKey(execId) && !closed) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return execs.containsKey(execId);
    } finally {
      awaiting--;
    }
  }

  /** Only when someone waits: append runs for every chunk of output. */
  private void wakeAwaiting() {
    if (awaiting > 0) {
      notifyAll();
    }
  }

  /** The exec is no longer retained: its output on disk goes. */
  synchronized void forget(String execId) {
    var progress = execs.remove(execId);
    forgetOutput(execId);
    if (progress != null) {
      progress.release();
    }
  }

  private void forgetOutput(String execId) {
    if (store != null) {
      store.forget(execId);
    }
  }

  /** Whether an exec of this sandbox with that id has published events. */
  public synchronized boolean knows(String execId) {
    return execs.containsKey(execId);
  }

  /** Whether every live subscriber of the exec is behind: see {@link PushedSubscribers}. */
  synchronized boolean allBehind(String execId) {
    return subscribers.allBehind(execId);
  }

  synchronized int subscriberCount() {
    return subscribers.size() + execs.values().stream().mapToInt(p -> p.followers.size()).sum();
  }

  /** The sandbox was deleted: frees the buffer, keeping only each exec's end for late comers. */
  synchronized void close() {
    closed = true;
    wakeAwaiting();
    ring.clear();
    if (store != null) {
      store.close();
    }
    subscribers.closeAll();
    for (var progress : execs.values()) {
      progress.release();
      progress.followers.clear();
    }
  }
}
