package dev.sbx.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measured figure as the results show it.
 *
 * @param median the median of the runs (p50)
 * @param p99 the 99th percentile of the runs (nearest rank: the largest one below 100 runs)
 * @param runs how many measured runs the percentiles are taken over
 * @param unit ms, MB/s, MB, req/s, writes...
 * @param method how it was measured, in a few words
 */
record Figure(double median, double p99, int runs, String unit, String method) {

  static Figure of(Samples samples, String unit, String method) {
    return new Figure(
        round(samples.median()), round(samples.percentile(99)), samples.count(), unit, method);
  }

  Map<String, Object> toMap() {
    var map = new LinkedHashMap<String, Object>();
    map.put("median", median);
    map.put("p99", p99);
    map.put("runs", runs);
    map.put("unit", unit);
    map.put("method", method);
    return map;
  }

  static double round(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return value;
    }
    double scale = Math.abs(value) >= 100 ? 10 : Math.abs(value) >= 1 ? 1000 : 10000;
    return Math.round(value * scale) / scale;
  }
}
