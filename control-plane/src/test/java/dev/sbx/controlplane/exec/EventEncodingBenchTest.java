package dev.sbx.controlplane.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import tools.jackson.databind.json.JsonMapper;

/**
 * Benchmark for {@code make bench}, not a test of behaviour: runs {@link EventEncodingBenchmark}
 * with JMH in a forked JVM and writes its figures as a fragment the bench report merges ({@code
 * jmh.json} next to the system property {@code bench.out}).
 */
@Tag("bench")
class EventEncodingBenchTest {

  @Test
  void encodeOutputEvents() throws Exception {
    var options =
        new OptionsBuilder()
            .include(EventEncodingBenchmark.class.getName())
            .forks(1)
            .warmupIterations(3)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(5)
            .measurementTime(TimeValue.seconds(1))
            .build();
    var figures = new LinkedHashMap<String, Object>();
    var values = new LinkedHashMap<String, Object>();
    for (RunResult result : new Runner(options).run()) {
      var name = result.getParams().getBenchmark().replaceAll(".*\\.", "");
      var stats = result.getPrimaryResult().getStatistics();
      var key = name.equals("eventJson") ? "event_json" : "output_decode";
      double p50 = stats.getPercentile(50);
      figures.put(
          key + "_us",
          Map.of(
              "median",
              round(p50),
              "p99",
              round(stats.getPercentile(99)),
              "runs",
              stats.getN(),
              "unit",
              "us",
              "method",
              "JMH SampleTime, 1 fork, 3x1 s warm-up, 5x1 s measured: EventEncodingBenchmark."
                  + name
                  + " on a 64 KiB chunk of base64 lines"));
      values.put(key + "_mb_per_s", round(EventEncodingBenchmark.CHUNK / p50));
    }
    assertThat(values).hasSize(2);
    var out =
        Path.of(System.getProperty("bench.out", "../bench/results/tmp/kubernetes.json"))
            .toAbsolutePath()
            .resolveSibling("jmh.json");
    Files.createDirectories(out.getParent());
    Files.writeString(
        out,
        JsonMapper.builder()
            .build()
            .writerWithDefaultPrettyPrinter()
            .writeValueAsString(Map.of("values", values, "figures", figures)));
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
