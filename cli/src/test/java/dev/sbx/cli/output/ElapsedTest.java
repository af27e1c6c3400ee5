package dev.sbx.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ElapsedTest {

  @Test
  void ofShouldShowTenthsUnderAMinuteAndTwoUnitsAbove() {
    assertThat(Elapsed.of(Duration.ofMillis(40))).isEqualTo("0.0s");
    assertThat(Elapsed.of(Duration.ofMillis(1_299))).isEqualTo("1.2s");
    assertThat(Elapsed.of(Duration.ofSeconds(184))).isEqualTo("3m4s");
    assertThat(Elapsed.of(Duration.ofMinutes(125))).isEqualTo("2h5m");
    assertThat(Elapsed.of(Duration.ofHours(27))).isEqualTo("1d3h");
  }

  @Test
  void ofWhenClocksDisagreeShouldNotGoNegative() {
    assertThat(Elapsed.of(Duration.ofSeconds(-3))).isEqualTo("0.0s");
  }
}
