package dev.sbx.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SamplesTest {

  @Test
  void percentilesShouldBeNearestRankOverEverySample() {
    var samples = new Samples();
    for (int i = 100; i >= 1; i--) {
      samples.add(i);
    }
    assertThat(samples.median()).isEqualTo(50);
    assertThat(samples.percentile(99)).isEqualTo(99);
    assertThat(samples.percentile(100)).isEqualTo(100);
    assertThat(samples.count()).isEqualTo(100);
  }

  @Test
  void p99OfFewerThanOneHundredSamplesShouldBeTheLargest() {
    var samples = new Samples();
    samples.add(3);
    samples.add(1);
    samples.add(2);
    assertThat(samples.median()).isEqualTo(2);
    assertThat(samples.percentile(99)).isEqualTo(3);
  }

  @Test
  void noSamplesShouldGiveNaN() {
    assertThat(new Samples().median()).isNaN();
  }
}
