package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.runtime.OutputStreamKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
  private final int capacity;
  private final long byteCapacity;
  private final ArrayDeque<ExecEvent> ring = new ArrayDeque<>();
  private long bytes;
  private final List<Filtered> subscribers = new ArrayList<>();
  private final Map<String, Progress> execs =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Progress> eldest) {
          if (size() > REMEMBERED_EXECS) {
            forgetOutput(eldest.getKey());
            return true;
          }
          return false;
        }
      };
  private final @Nullable OutputStore store;
  private boolean closed;
  private int awaiting; // handshakes waiting in awaitKnown

  /** How far an exec got: its last seq, its start and exit events, its events in the ring. */
  private static final class Progress {
    long lastSeq;
    long resumedThrough; // seqs published by an earlier control plane, unknown here
    @Nullable ExecEvent start;
    @Nullable ExecEvent exit;
    final ArrayDeque<ExecEvent> cached = new ArrayDeque<>();
    final List<Runnable> followers = new ArrayList<>(1);

    @Nullable ExecEvent cached(long seq) {
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

    long firstCachedSeq() {
      var first = cached.peekFirst();
      return first == null ? Long.MAX_VALUE : first.seq();
    }
  }

  private record Filtered(Subscriber subscriber, @Nullable String execId, long fromSeq) {
    boolean wants(ExecEvent event) {
      return execId == null
          || (execId.equals(event.execId()) && (event.seq() >= fromSeq || event.isExit()));
    }
  }

  private final LongConsumer evicted;

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
    this.capacity = capacity;
    this.byteCapacity = byteCapacity;
  }

  synchronized void append(ExecEvent event) {
    ring.addLast(event);
    bytes += event.weight();
    int dropped = 0;
    var progress = execs.computeIfAbsent(event.execId(), id -> new Progress());
    progress.cached.addLast(event);
    wakeAwaiting();
    while (ring.size() > capacity || (bytes > byteCapacity && ring.size() > 1)) {
      var gone = ring.removeFirst();
      bytes -= gone.weight();
      var of = execs.get(gone.execId());
      if (of != null) {
        of.cached.pollFirst();
      }
      dropped++;
    }
    if (dropped > 0) {
      evicted.accept(dropped);
    }
    progress.lastSeq = event.seq();
    if (event instanceof ExecEvent.Start) {
      progress.start = event;
    }
    if (event.isExit()) {
      progress.exit = event;
      if (store != null) {
        store.forExec(event.execId()).seal();
      }
    }
    progress.followers.forEach(Runnable::run);
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

  /**
   * Keeps an exec's raw output bytes, before they become events, so that every byte is there to
   * replay and to read over HTTP. Called before the events that carry them are appended.
   */
  void write(String execId, OutputStreamKind stream, byte[] data, int length) {
    write(execId, stream, data, length, -1);
  }

  /** {@link #write}, placing the bytes at their offset in the stream (-1: right after the last). */
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

  /** What the exec's follower gets next: an event, or one to read from the store. */
  public sealed interface Next permits Ready, Kept, Closed {}

  /** An event ready to send. */
  public record Ready(ExecEvent event) implements Next {}

  /** A kept output event, to read from the store without holding the log. */
  public record Kept(StoredOutput output, long seq) implements Next {
    /** The event, or null when it was dropped meanwhile (ask {@link #next} again). */
    public ExecEvent.@Nullable Output event() {
      return output.event(seq);
    }

    /** Its exact bytes, or null when it was dropped meanwhile. */
    public @Nullable OutputChunk chunk() {
      return output.chunk(seq);
    }
  }

  /** The sandbox was deleted and the exec's end is not known: nothing more will come. */
  public record Closed() implements Next {}

  /**
   * Starts waking {@code wake} each time the exec publishes an event; it then asks {@link #next}.
   */
  public synchronized void follow(String execId, Runnable wake) {
    if (closed) {
      wake.run();
      return;
    }
    execs.computeIfAbsent(execId, id -> new Progress()).followers.add(wake);
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
  public synchronized @Nullable Next next(String execId, long seq, boolean keptFailed) {
    var progress = execs.get(execId);
    if (progress == null) {
      return new Closed(); // forgotten: its status is no longer retained
    }
    var exit = progress.exit;
    if (exit != null && seq >= exit.seq()) {
      return new Ready(exit);
    }
    if (seq > progress.lastSeq) {
      return closed ? exit != null ? new Ready(exit) : new Closed() : null;
    }
    if (progress.start != null && seq == progress.start.seq()) {
      return new Ready(progress.start);
    }
    var cached = progress.cached(seq);
    if (cached != null) {
      return new Ready(cached);
    }
    var output = store == null || closed ? null : store.existing(execId);
    long firstKept = output == null ? 0 : output.firstKeptSeq();
    if (firstKept > 0 && seq >= firstKept && !keptFailed) {
      return new Kept(output, seq);
    }
    long nextThere =
        Math.min(
            progress.firstCachedSeq(),
            Math.min(exit != null ? exit.seq() : progress.lastSeq + 1, Long.MAX_VALUE));
    if (firstKept > seq) {
      nextThere = Math.min(nextThere, firstKept);
    }
    long to = keptFailed ? seq : Math.max(seq, nextThere - 1);
    long droppedBytes =
        seq <= progress.resumedThrough || output == null ? -1 : output.droppedBytes();
    return new Ready(ExecEvent.gap(sandboxId, execId, seq, to, droppedBytes));
  }

  /**
   * Reads the exec's raw output bytes of one stream from {@code offset}.
   *
   * @return bytes read; 0 when none are there yet; -1 when the exec ended and none are left
   * @throws OutputDroppedException when bytes from that offset were dropped from the store
   */
  public int readOutput(String execId, OutputStreamKind stream, long offset, ByteBuffer into) {
    boolean ended;
    StoredOutput output;
    synchronized (this) {
      var progress = execs.get(execId);
      ended = closed || (progress != null && progress.exit != null);
      output = store == null ? null : store.existing(execId);
    }
    if (output == null) {
      if (ended || store == null) {
        return -1;
      }
      return 0;
    }
    int n = output.read(stream, offset, into);
    if (n < 0) {
      throw new OutputDroppedException(sandboxId, execId, offset, output.base(stream));
    }
    return n == 0 && ended ? -1 : n;
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
    progress.resumedThrough = Math.max(progress.resumedThrough, lastSeq);
    wakeAwaiting();
  }

  /**
   * Takes up an exec an earlier run of the control plane published, from what it left on disk: its
   * start, its output (served from the store, which {@link #store()} took up first), and its exit
   * when it had ended.
   */
  synchronized void restore(ExecEvent.Start start, long lastSeq, ExecEvent.@Nullable Exit exit) {
    var progress = execs.computeIfAbsent(start.execId(), id -> new Progress());
    progress.start = start;
    progress.lastSeq = Math.max(progress.lastSeq, lastSeq);
    if (exit != null) {
      progress.exit = exit;
      progress.lastSeq = Math.max(progress.lastSeq, exit.seq());
    }
    wakeAwaiting();
  }

  /**
   * Saves a finished exec's summary beside its output, off the exec's path, when the store outlives
   * the control plane: a restarted one then knows the exec again. A summary that could not be
   * written only means that.
   */
  void keepSummary(ExecView view, ExecEvent.Exit exit) {
    var kept = store;
    if (kept == null || !kept.durable()) {
      return;
    }
    var output = kept.forExec(exit.execId());
    CompletableFuture.runAsync(
        () -> {
          try {
            new ExecSummary(
                    view.command(), view.startedAt(), view.timeoutSeconds(), exit, output.kept())
                .write(kept.folder());
          } catch (IOException | RuntimeException e) {
            // not known after a restart, which is all it costs
          }
        });
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
      progress.cached.clear();
      progress.followers.forEach(Runnable::run);
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
    int followers = 0;
    for (var progress : execs.values()) {
      followers += progress.followers.size();
    }
    return subscribers.size() + followers;
  }

  /** The sandbox was deleted: frees the buffer, keeping only each exec's end for late comers. */
  synchronized void close() {
    closed = true;
    wakeAwaiting();
    ring.clear();
    bytes = 0;
    if (store != null) {
      store.close();
    }
    subscribers.forEach(s -> s.subscriber().logClosed());
    subscribers.clear();
    for (var progress : execs.values()) {
      progress.cached.clear();
      progress.followers.forEach(Runnable::run);
      progress.followers.clear();
    }
  }
}
