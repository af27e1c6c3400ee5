package dev.sbx.controlplane.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventLogTest {

  @Test
  void subscribeShouldReplayTheExecsEventsThenDeliverLiveOnesWithoutGapOrDuplicate() {
    var log = new EventLog(10);
    log.append(event("a", 1));
    log.append(event("b", 1));
    log.append(event("a", 2));
    var subscriber = new Recording(Integer.MAX_VALUE);
    log.subscribe(subscriber, "a");
    log.append(event("a", 3));
    log.append(event("b", 2));
    assertThat(subscriber.seen()).containsExactly("a1", "a2", "a3");
  }

  @Test
  void subscribeWithoutExecIdShouldGetEveryExec() {
    var log = new EventLog(10);
    log.append(event("a", 1));
    var subscriber = new Recording(Integer.MAX_VALUE);
    log.subscribe(subscriber, null);
    log.append(event("b", 1));
    assertThat(subscriber.seen()).containsExactly("a1", "b1");
  }

  @Test
  void appendWhenFullShouldDropTheOldestEvents() {
    var log = new EventLog(2);
    for (int seq = 1; seq <= 4; seq++) {
      log.append(event("a", seq));
    }
    var subscriber = new Recording(Integer.MAX_VALUE);
    log.subscribe(subscriber, "a");
    assertThat(subscriber.seen()).containsExactly("a3", "a4");
    assertThat(log.knows("a")).isTrue();
    assertThat(log.knows("b")).isFalse();
  }

  @Test
  void appendWhenSubscriberRefusesShouldDropItAndKeepServingOthers() {
    var log = new EventLog(10);
    var slow = new Recording(1);
    var fast = new Recording(Integer.MAX_VALUE);
    log.subscribe(slow, null);
    log.subscribe(fast, null);
    log.append(event("a", 1));
    log.append(event("a", 2));
    log.append(event("a", 3));
    assertThat(slow.seen()).containsExactly("a1");
    assertThat(fast.seen()).containsExactly("a1", "a2", "a3");
    assertThat(log.subscriberCount()).isEqualTo(1);
  }

  @Test
  void closeShouldTellSubscribersAndRefuseNewOnes() {
    var log = new EventLog(10);
    var before = new Recording(Integer.MAX_VALUE);
    log.subscribe(before, null);
    log.close();
    var after = new Recording(Integer.MAX_VALUE);
    log.subscribe(after, null);
    assertThat(before.closed).isTrue();
    assertThat(after.closed).isTrue();
    assertThat(log.subscriberCount()).isZero();
  }

  @Test
  void unsubscribeShouldStopDelivery() {
    var log = new EventLog(10);
    var subscriber = new Recording(Integer.MAX_VALUE);
    log.subscribe(subscriber, null);
    log.unsubscribe(subscriber);
    log.append(event("a", 1));
    assertThat(subscriber.seen()).isEmpty();
  }

  private static ExecEvent event(String execId, long seq) {
    return new ExecEvent("sbx-x", execId, seq, "output", "stdout", "x", null, null, Instant.now());
  }

  private static final class Recording implements Subscriber {
    private final int capacity;
    private final List<ExecEvent> events = new ArrayList<>();
    boolean closed;

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

    List<String> seen() {
      return events.stream().map(e -> e.execId() + e.seq()).toList();
    }
  }
}
