package dev.sbx.controlplane.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.controlplane.runtime.OutputStreamKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EventLogTest {

  private static final long NO_BYTE_LIMIT = Long.MAX_VALUE;

  @Test
  void subscribeShouldReplayTheExecsEventsThenDeliverLiveOnesWithoutGapOrDuplicate() {
    var log = new EventLog("sbx-x", 10, NO_BYTE_LIMIT);
    log.append(output("a", 1));
    log.append(output("b", 1));
    log.append(output("a", 2));
    var subscriber = new Recording(Integer.MAX_VALUE);
    log.subscribe(subscriber, "a", 1);
    log.append(output("a", 3));
    log.append(output("b", 2));
    assertThat(subscriber.seen()).containsExactly("a1", "a2", "a3");
  }

  @Test
  void subscribeFromASeqShouldSkipWhatCameBefore() {
    var log = new EventLog("sbx-x", 10, NO_BYTE_LIMIT);
    for (int seq = 1; seq <= 4; seq++) {
      log.append(output("a", seq));
    }
    var subscriber = new Recording(Integer.MAX_VALUE);
    log.subscribe(subscriber, "a", 3);
    assertThat(subscriber.seen()).containsExactly("a3", "a4");
  }

  @Test
  void subscribeWhenEventsLeftTheBufferShouldStartWithAGap() {
    var log = new EventLog("sbx-x", 2, NO_BYTE_LIMIT);
    for (int seq = 1; seq <= 4; seq++) {
      log.append(output("a", seq));
    }
    var subscriber = new Recording(Integer.MAX_VALUE);
    log.subscribe(subscriber, "a", 1);
    assertThat(subscriber.seen()).containsExactly("gap1-2", "a3", "a4");
  }

  @Test
  void subscribeWhenTheExitLeftTheBufferShouldStillGetIt() {
    var log = new EventLog("sbx-x", 2, NO_BYTE_LIMIT);
    log.append(output("a", 1));
    log.append(exit("a", 2));
    log.append(output("b", 1));
    log.append(output("b", 2));
    var subscriber = new Recording(Integer.MAX_VALUE);
    log.subscribe(subscriber, "a", 1);
    assertThat(subscriber.seen()).containsExactly("gap1-1", "a2exit");
    var late = new Recording(Integer.MAX_VALUE);
    log.subscribe(late, "a", 7);
    assertThat(late.seen()).containsExactly("a2exit");
    assertThat(log.subscriberCount()).isZero();
  }

  @Test
  void appendWhenOverTheByteLimitShouldDropTheOldestEvents() {
    var log = new EventLog("sbx-x", 100, 3 * output("a", 1).weight());
    for (int seq = 1; seq <= 5; seq++) {
      log.append(output("a", seq));
    }
    var subscriber = new Recording(Integer.MAX_VALUE);
    log.subscribe(subscriber, "a", 1);
    assertThat(subscriber.seen()).containsExactly("gap1-2", "a3", "a4", "a5");
  }

  @Test
  void subscribeWithoutExecIdShouldGetEveryExec() {
    var log = new EventLog("sbx-x", 10, NO_BYTE_LIMIT);
    log.append(output("a", 1));
    var subscriber = new Recording(Integer.MAX_VALUE);
    log.subscribe(subscriber, null, 1);
    log.append(output("b", 1));
    assertThat(subscriber.seen()).containsExactly("a1", "b1");
  }

  @Test
  void allBehindShouldHoldOutputOnlyWhenEverySubscriberOfTheExecIsBehind() {
    var log = new EventLog("sbx-x", 10, NO_BYTE_LIMIT);
    assertThat(log.allBehind("a")).as("nobody follows it: read on").isFalse();
    var slow = new Recording(Integer.MAX_VALUE);
    slow.behind = true;
    log.subscribe(slow, "a", 1);
    assertThat(log.allBehind("a")).isTrue();
    assertThat(log.allBehind("b")).as("another exec's subscriber holds nothing").isFalse();

    var fast = new Recording(Integer.MAX_VALUE);
    log.subscribe(fast, null, 1);
    assertThat(log.allBehind("a")).as("a slow subscriber must not slow a faster one").isFalse();
    fast.behind = true;
    assertThat(log.allBehind("a")).isTrue();
  }

  @Test
  void appendWhenSubscriberRefusesShouldDropItAndKeepServingOthers() {
    var log = new EventLog("sbx-x", 10, NO_BYTE_LIMIT);
    var slow = new Recording(1);
    var fast = new Recording(Integer.MAX_VALUE);
    log.subscribe(slow, null, 1);
    log.subscribe(fast, null, 1);
    log.append(output("a", 1));
    log.append(output("a", 2));
    log.append(output("a", 3));
    assertThat(slow.seen()).containsExactly("a1");
    assertThat(fast.seen()).containsExactly("a1", "a2", "a3");
    assertThat(log.subscriberCount()).isEqualTo(1);
  }

  @Test
  void closeShouldTellSubscribersAndRefuseNewOnes() {
    var log = new EventLog("sbx-x", 10, NO_BYTE_LIMIT);
    var before = new Recording(Integer.MAX_VALUE);
    log.subscribe(before, null, 1);
    log.close();
    var after = new Recording(Integer.MAX_VALUE);
    log.subscribe(after, null, 1);
    assertThat(before.closed).isTrue();
    assertThat(after.closed).isTrue();
  }

  @Test
  void subscribeAfterTheSandboxWasDeletedShouldStillGetTheExecsEnd() {
    var log = new EventLog("sbx-x", 10, NO_BYTE_LIMIT);
    log.append(output("a", 1));
    log.append(exit("a", 2));
    log.close();
    var late = new Recording(Integer.MAX_VALUE);
    log.subscribe(late, "a", 1);
    assertThat(late.seen()).containsExactly("a2exit");
    assertThat(late.closed).isTrue();
  }

  /**
   * Model-based: random appends (several execs, evictions by count and bytes), subscribers from any
   * seq at any time, some of them too slow. Every subscriber must see an exact, contiguous copy of
   * its exec's events from where it asked, with a gap event only at the start and only for events
   * that were really gone, and the exit whenever it received everything.
   */
  @Test
  void everySubscriberShouldSeeAnExactCopyWithExplicitGapsOnly() {
    for (long seed = 0; seed < 300; seed++) {
      var random = new Random(seed);
      var log = new EventLog("sbx-x", 2 + random.nextInt(20), 500 + random.nextInt(5_000));
      Map<String, List<ExecEvent>> model = new HashMap<>();
      var subscribers = new ArrayList<ModelSubscriber>();
      for (int step = 0; step < 400; step++) {
        var exec = "e" + random.nextInt(4);
        var history = model.computeIfAbsent(exec, e -> new ArrayList<>());
        boolean finished = !history.isEmpty() && history.get(history.size() - 1).isExit();
        if (random.nextInt(5) == 0 && !history.isEmpty()) {
          long from = 1 + random.nextInt(history.size() + 2);
          int capacity = random.nextInt(3) == 0 ? random.nextInt(5) : Integer.MAX_VALUE;
          var subscriber = new ModelSubscriber(exec, from, capacity, history.size());
          log.subscribe(subscriber, exec, from);
          subscribers.add(subscriber);
        } else if (!finished) {
          long seq = history.size() + 1;
          var event =
              random.nextInt(30) == 0
                  ? exit(exec, seq)
                  : ExecEvent.output(
                      "sbx-x",
                      exec,
                      seq,
                      OutputStreamKind.STDOUT,
                      "x".repeat(random.nextInt(300)),
                      false,
                      -1);
          history.add(event);
          log.append(event);
        }
      }
      for (var subscriber : subscribers) {
        subscriber.check(model.get(subscriber.exec), seed);
      }
    }
  }

  private static final class ModelSubscriber implements Subscriber {
    final String exec;
    final long from;
    final int capacity;
    final int knownAtSubscribe;
    final List<ExecEvent> received = new ArrayList<>();
    boolean refused;

    ModelSubscriber(String exec, long from, int capacity, int knownAtSubscribe) {
      this.exec = exec;
      this.from = from;
      this.capacity = capacity;
      this.knownAtSubscribe = knownAtSubscribe;
    }

    @Override
    public boolean offer(ExecEvent event) {
      if (received.size() >= capacity) {
        refused = true;
        return false;
      }
      received.add(event);
      return true;
    }

    @Override
    public void logClosed() {}

    void check(List<ExecEvent> history, long seed) {
      var why = "seed " + seed + ", from " + from + ", got " + seen(received);
      var events = new ArrayList<>(received);
      long expectedNext = from;
      if (!events.isEmpty() && events.get(0) instanceof ExecEvent.Gap gap) {
        events.remove(0);
        assertThat(gap.fromSeq()).as(why).isEqualTo(from);
        assertThat(gap.toSeq())
            .as(why)
            .isGreaterThanOrEqualTo(from)
            .isLessThanOrEqualTo(knownAtSubscribe);
        expectedNext = gap.toSeq() + 1;
      }
      var exit = history.get(history.size() - 1).isExit() ? history.get(history.size() - 1) : null;
      for (var event : events) {
        if (event.isExit() && event.seq() < expectedNext) {
          assertThat(event).as(why).isSameAs(exit); // asked past the end: the exit only
          continue;
        }
        assertThat(event.seq()).as(why).isEqualTo(expectedNext);
        assertThat(event).as(why).isSameAs(history.get((int) event.seq() - 1));
        expectedNext++;
      }
      if (!refused) {
        var last = events.isEmpty() ? null : events.get(events.size() - 1);
        if (exit != null) {
          assertThat(last).as(why + ": ends with the exit").isSameAs(exit);
        } else if (history.size() >= from) {
          // Every seq up to the last one was either received or announced gone.
          assertThat(expectedNext - 1).as(why + ": has everything").isEqualTo(history.size());
        }
      }
    }
  }

  private static ExecEvent output(String execId, long seq) {
    return ExecEvent.output("sbx-x", execId, seq, OutputStreamKind.STDOUT, "x", false, -1);
  }

  private static ExecEvent exit(String execId, long seq) {
    return ExecEvent.exit("sbx-x", execId, seq, 0, ExecStatus.COMPLETED, null, null);
  }

  private static List<String> seen(List<ExecEvent> events) {
    return events.stream()
        .map(
            e ->
                e instanceof ExecEvent.Gap gap
                    ? "gap" + gap.fromSeq() + "-" + gap.toSeq()
                    : e.execId() + e.seq() + (e.isExit() ? "exit" : ""))
        .toList();
  }

  private static final class Recording implements Subscriber {
    private final int capacity;
    private final List<ExecEvent> events = new ArrayList<>();
    boolean closed;
    boolean behind;

    Recording(int capacity) {
      this.capacity = capacity;
    }

    @Override
    public boolean offer(ExecEvent event) {
      if (events.size() >= capacity) {
        return false;
      }
      events.add(event);
      return true;
    }

    @Override
    public void logClosed() {
      closed = true;
    }

    @Override
    public boolean behind() {
      return behind;
    }

    List<String> seen() {
      return EventLogTest.seen(events);
    }
  }
}
