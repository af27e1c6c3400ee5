package dev.sbx.cli.command;

import static dev.sbx.cli.testing.Cli.sbx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.cli.testing.FakeControlPlane;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExecsCommandTest {

  private static final String EXECS = "/sandboxes/demo/execs";

  private static String ago(Duration duration) {
    return Instant.now().minus(duration).toString();
  }

  @Test
  void execsShouldPrintATableWithAgesDurationsAndShortenedCommands() throws Exception {
    Instant started = Instant.now().minus(Duration.ofHours(2).plusMinutes(10));
    String body =
        """
        {"execs":[
          {"exec_id":"9b1c0e8f2a4d6c3e","sandbox_id":"sbx-demo","command":["ls","-la"],
           "status":"completed","exit_code":0,"started_at":"%s","finished_at":"%s"},
          {"exec_id":"77aa","sandbox_id":"sbx-demo",
           "command":["bash","-lc","for i in $(seq 1 100); do echo $i; sleep 1; done"],
           "status":"running","started_at":"%s"}]}"""
            .formatted(
                started, started.plusMillis(1_234), ago(Duration.ofMinutes(3).plusSeconds(4)));
    try (var plane = FakeControlPlane.start().respond("GET", EXECS, 200, body)) {
      var result = sbx(plane, "execs", "-id", "demo");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.out())
          .isEqualTo(
              """
              EXEC ID            STATUS      EXIT   STARTED   DURATION   COMMAND
              9b1c0e8f2a4d6c3e   completed   0      2h ago    1.2s       ls -la
              77aa               running            3m ago    3m4s       bash -lc for i in $(seq 1 100); do echo…
              """);
    }
  }

  @Test
  void execsWithOutputJsonShouldPrintTheServersDocumentAsIs() throws Exception {
    String body = "{\"execs\":[{\"exec_id\":\"e1\",\"status\":\"running\"}]}";
    try (var plane = FakeControlPlane.start().respond("GET", EXECS, 200, body)) {
      var result = sbx(plane, "execs", "-id", "demo", "-o", "json");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.out()).isEqualTo(body + "\n");
    }
  }

  @Test
  void execsWhenSandboxIsUnknownShouldExitWith3() throws Exception {
    try (var plane =
        FakeControlPlane.start()
            .problem("GET", EXECS, 404, "Sandbox not found", "sandbox sbx-demo does not exist")) {
      var result = sbx(plane, "execs", "-id", "demo");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
      assertThat(result.err())
          .isEqualTo("error: Sandbox not found: sandbox sbx-demo does not exist\n");
    }
  }
}
