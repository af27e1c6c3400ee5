package dev.sbx.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void pauseShouldDoubleFrom100MillisTo2SecondsAndGiveUpAfter30Seconds() {
    var clock = new FakeClock();
    var backoff = new Backoff(clock);

    int attempts = 0;
    while (backoff.pause()) {
      attempts++;
    }

    assertThat(clock.sleeps).startsWith(100L, 200L, 400L, 800L, 1_600L, 2_000L, 2_000L);
    assertThat(clock.sleeps.stream().mapToLong(Long::longValue).sum()).isBetween(30_000L, 32_000L);
    assertThat(attempts).isEqualTo(clock.sleeps.size());
  }

  @Test
  void resetShouldStartTheDelaysAndTheGiveUpCountOver() {
    var clock = new FakeClock();
    var backoff = new Backoff(clock);
    for (int i = 0; i < 10; i++) {
      backoff.pause();
    }

    backoff.reset();
    backoff.pause();

    assertThat(clock.sleeps.get(clock.sleeps.size() - 1)).isEqualTo(100L);
  }
}
