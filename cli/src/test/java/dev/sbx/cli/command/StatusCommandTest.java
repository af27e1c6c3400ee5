package dev.sbx.cli.command;

import static dev.sbx.cli.testing.Cli.sbx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.cli.testing.FakeControlPlane;
import org.junit.jupiter.api.Test;

class StatusCommandTest {

  @Test
  void statusShouldPrintTheKnownFieldsInAFixedOrderAndSkipAbsentOnes() throws Exception {
    String body =
        """
        {"ready":true,"phase":"Running","extra":"ignored","created_at":"2026-11-26T21:50:03.123Z",
         "runtime":"local","pod_name":"sandbox","namespace":"sbx-demo","id":"sbx-demo"}""";
    try (var plane = FakeControlPlane.start().respond("GET", "/sandboxes/demo", 200, body)) {
      var result = sbx(plane, "status", "-id", "demo");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.out())
          .isEqualTo(
              """
              id=sbx-demo
              namespace=sbx-demo
              pod_name=sandbox
              runtime=local
              phase=Running
              ready=true
              created_at=2026-11-26T21:50:03.123Z
              """);
    }
  }

  // Arranged and run as the test above, with another body: each test reads whole (the duplicates
  // tool reports the pair).
  @Test
  void statusShouldPrintLimitsWhatIsNotEnforcedAndUsage() throws Exception {
    String body =
        """
        {"id":"sbx-demo","resources":{"cpu_limit":"500m","mem_limit":"1Gi","pids_limit":512,
         "disk_limit":"2Gi","unenforced":{"disk_limit":"needs root"}},
         "usage":{"memory_bytes":4096,"cpu_seconds":0.25,"pids":1}}""";
    try (var plane = FakeControlPlane.start().respond("GET", "/sandboxes/demo", 200, body)) {
      var result = sbx(plane, "status", "-id", "demo");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.out())
          .isEqualTo(
              """
              id=sbx-demo
              resources.cpu_limit=500m
              resources.mem_limit=1Gi
              resources.pids_limit=512
              resources.disk_limit=2Gi
              resources.unenforced.disk_limit=needs root
              usage.memory_bytes=4096
              usage.cpu_seconds=0.25
              usage.pids=1
              """);
    }
  }

  @Test
  void statusWithoutIdShouldExitWith2() throws Exception {
    try (var plane = FakeControlPlane.start()) {
      var result = sbx(plane, "status");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
      assertThat(result.err()).startsWith("error: Missing required option").hasLineCount(1);
      assertThat(plane.requests()).isEmpty();
    }
  }
}
