package dev.sbx.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void nextShouldDoubleFrom100MillisUpTo5Seconds() {
    var backoff = new Backoff(100, 5000);

    assertThat(LongStream.generate(backoff::nextMillis).limit(9))
        .containsExactly(100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L, 5000L);
  }

  @Test
  void resetShouldStartOverFromTheFirstDelay() {
    var backoff = new Backoff(100, 5000);
    backoff.nextMillis();
    backoff.nextMillis();

    backoff.reset();

    assertThat(backoff.nextMillis()).isEqualTo(100);
  }
}
