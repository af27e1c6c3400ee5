package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.controlplane.config.TestBinding;
import dev.sbx.controlplane.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The pool's size rules, the autosize window and the reaper's TTL, on a clock the test moves. */
class PoolSettingsTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));

  @Test
  void autosizeShouldFollowTheCreatesOfTheLastMinuteClampedToMinAndMax() {
    var settings =
        settings(
            "SANDBOX_WARM_POOL_AUTOSIZE", "true",
            "SANDBOX_WARM_POOL_MIN", "1",
            "SANDBOX_WARM_POOL_MAX", "3");
    assertThat(settings.desired(0)).isEqualTo(1);
    assertThat(settings.desired(2)).isEqualTo(2);
    assertThat(settings.desired(7)).isEqualTo(3);
  }

  @Test
  void autosizeWithoutAMaximumShouldStopAtTen() {
    var settings = settings("SANDBOX_WARM_POOL_AUTOSIZE", "true");
    assertThat(settings.poolEnabled()).isTrue();
    assertThat(settings.desired(0)).isZero();
    assertThat(settings.desired(25)).isEqualTo(10);
  }

  @Test
  void aFixedPoolShouldIgnoreDemandAndNoSettingsShouldMeanNoPool() {
    var fixed = settings("SANDBOX_WARM_POOL_SIZE", "4", "SANDBOX_WARM_POOL_MAX", "2");
    assertThat(fixed.desired(0)).isEqualTo(4);
    assertThat(fixed.desired(50)).isEqualTo(4);
    var none = settings();
    assertThat(none.poolEnabled()).isFalse();
    assertThat(none.desired(50)).isZero();
  }

  @Test
  void theWindowShouldCountCreatesOfTheLastSixtySecondsOnly() {
    var window = new CreateWindow(clock);
    window.record("sbx-a", clock.instant());
    clock.advance(Duration.ofSeconds(30));
    window.record("sbx-b", clock.instant());
    window.record("sbx-b", clock.instant()); // seen again in the cluster: still one create
    assertThat(window.count()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(29));
    assertThat(window.count()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(1)); // sbx-a is now exactly 60 s old
    assertThat(window.count()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(30));
    assertThat(window.count()).isZero();
  }

  @Test
  void createsOlderThanTheWindowShouldNotCountWhenRebuiltFromTheCluster() {
    var window = new CreateWindow(clock);
    window.record("sbx-old", clock.instant().minusSeconds(61));
    window.record("sbx-new", clock.instant().minusSeconds(59));
    assertThat(window.count()).isEqualTo(1);
  }

  @Test
  void aTtlOfZeroOrLessShouldTurnReapingOff() {
    assertThat(settings().idleTtl()).isEqualTo(Duration.ofMinutes(15));
    assertThat(settings().reaping()).isTrue();
    assertThat(settings("SANDBOX_IDLE_TTL", "0s").reaping()).isFalse();
    assertThat(settings("SANDBOX_IDLE_TTL", "-5m").reaping()).isFalse();
    assertThat(settings("SANDBOX_IDLE_TTL", "1s").reaping()).isTrue();
  }

  private static PoolSettings settings(String... keyValues) {
    return PoolSettings.of(TestBinding.bind(Templates.config(keyValues), WarmPoolProperties.class));
  }
}
