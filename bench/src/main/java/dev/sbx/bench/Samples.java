package dev.sbx.bench;

import java.util.Arrays;

/** Measurements of one figure; percentiles by nearest rank over every sample, none dropped. */
final class Samples {

  private double[] values = new double[256];
  private int count;

  synchronized void add(double value) {
    if (count == values.length) {
      values = Arrays.copyOf(values, count * 2);
    }
    values[count++] = value;
  }

  void addNanosAsMillis(long nanos) {
    add(nanos / 1e6);
  }

  synchronized int count() {
    return count;
  }

  /** The p-th percentile (0 &lt; p &lt;= 100), nearest rank; NaN without samples. */
  synchronized double percentile(double p) {
    if (count == 0) {
      return Double.NaN;
    }
    var sorted = Arrays.copyOf(values, count);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * count);
    return sorted[Math.max(0, Math.min(count - 1, rank - 1))];
  }

  double median() {
    return percentile(50);
  }

  synchronized double max() {
    return count == 0 ? Double.NaN : Arrays.stream(values, 0, count).max().orElseThrow();
  }

  synchronized double min() {
    return count == 0 ? Double.NaN : Arrays.stream(values, 0, count).min().orElseThrow();
  }

  synchronized double mean() {
    return count == 0 ? Double.NaN : Arrays.stream(values, 0, count).average().orElseThrow();
  }
}
