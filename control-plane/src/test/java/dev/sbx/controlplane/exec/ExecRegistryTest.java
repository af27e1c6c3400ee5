package dev.sbx.controlplane.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.web.ErrorResponseException;

class ExecRegistryTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
  private final ExecRegistry registry = new ExecRegistry(2, Duration.ofMinutes(30), clock);

  @Test
  void sweepShouldForgetFinishedExecsOnlyAfterTheRetention() {
    var done = registry.add(record("a"));
    var running = registry.add(record("b"));
    done.finish(ExecOutcome.exited(0), clock.instant());

    clock.advance(Duration.ofMinutes(30));
    registry.sweep();
    assertThat(registry.find("sbx-1", "a")).as("exactly at the retention: kept").isPresent();

    clock.advance(Duration.ofSeconds(1));
    registry.sweep();
    assertThat(registry.find("sbx-1", "a")).isEmpty();
    assertThat(registry.find("sbx-1", "b"))
        .as("running execs are never forgotten")
        .contains(running);
  }

  @Test
  void addWhenTheSandboxRunsTheMostExecsShouldBe429() {
    registry.add(record("a"));
    registry.add(record("b"));
    assertThatThrownBy(() -> registry.add(record("c")))
        .isInstanceOfSatisfying(
            ErrorResponseException.class,
            e -> assertThat(e.getStatusCode().value()).isEqualTo(429));
  }

  @Test
  void addWhenAnExecEndedShouldMakeRoomAgain() {
    var first = registry.add(record("a"));
    registry.add(record("b"));
    first.finish(ExecOutcome.exited(1), clock.instant());
    assertThat(registry.add(record("c")).execId()).isEqualTo("c");
  }

  @Test
  void discardOfAnExecThatNeverStartedShouldMakeRoomAgain() {
    var neverStarted = registry.add(record("a"));
    registry.add(record("b"));
    registry.discard(neverStarted);
    assertThat(registry.add(record("c")).execId()).isEqualTo("c");
    assertThat(registry.running()).isEqualTo(2);
  }

  @Test
  void finishShouldTellTimeoutsCancelsAndLossesApart() {
    var timedOut = record("a");
    timedOut.requestStop(ExecRecord.TIMEOUT);
    assertThat(timedOut.finish(ExecOutcome.exited(143), clock.instant()))
        .isEqualTo(ExecStatus.TIMED_OUT);
    var canceled = record("b");
    canceled.requestStop(ExecRecord.CANCELED);
    assertThat(canceled.requestStop(ExecRecord.TIMEOUT)).as("one stop only").isFalse();
    assertThat(canceled.finish(ExecOutcome.exited(137), clock.instant()))
        .isEqualTo(ExecStatus.CANCELED);
    var lost = record("c");
    lost.requestStop(ExecRecord.CANCELED);
    assertThat(lost.finish(ExecOutcome.lost(ExecOutcome.SANDBOX_DELETED), clock.instant()))
        .as("a lost exec stays lost, whoever asked it to stop")
        .isEqualTo(ExecStatus.LOST);
    assertThat(lost.view().exitCode()).isEqualTo(-1);
  }

  @Test
  void listShouldKeepStartOrderAndOtherSandboxesApart() {
    registry.add(record("a"));
    registry.add(record("b"));
    assertThat(registry.list("sbx-1")).extracting(ExecRecord::execId).containsExactly("a", "b");
    assertThat(registry.list("sbx-2")).isEmpty();
    assertThat(registry.find("sbx-2", "a")).isEmpty();
  }

  private ExecRecord record(String execId) {
    return new ExecRecord("sbx-1", execId, List.of("true"), clock.instant(), null);
  }
}
