package dev.sbx.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AgeTest {

  @Test
  void ofShouldUseTheLargestWholeUnit() {
    assertThat(Age.of(Duration.ofMillis(999))).isEqualTo("0s");
    assertThat(Age.of(Duration.ofSeconds(5))).isEqualTo("5s");
    assertThat(Age.of(Duration.ofSeconds(59))).isEqualTo("59s");
    assertThat(Age.of(Duration.ofMinutes(3).plusSeconds(59))).isEqualTo("3m");
    assertThat(Age.of(Duration.ofHours(2).plusMinutes(59))).isEqualTo("2h");
    assertThat(Age.of(Duration.ofDays(4).plusHours(23))).isEqualTo("4d");
  }

  @Test
  void ofWhenClockIsSkewedShouldSayZeroRatherThanNegative() {
    assertThat(Age.of(Duration.ofSeconds(-30))).isEqualTo("0s");
  }

  @Test
  void sinceShouldReadRfc3339WithFractionsAndOffsets() {
    var now = Instant.parse("2026-11-26T22:00:00Z");

    assertThat(Age.since("2026-11-26T21:50:03.123456789Z", now)).isEqualTo("9m");
    assertThat(Age.since("2026-11-26T23:00:00+01:00", now)).isEqualTo("0s");
  }

  @Test
  void sinceWhenTimestampIsMissingOrBrokenShouldGiveNull() {
    var now = Instant.now();

    assertThat(Age.since(null, now)).isNull();
    assertThat(Age.since("yesterday", now)).isNull();
  }
}
