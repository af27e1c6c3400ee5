package dev.sbx.cli.command;

import static dev.sbx.cli.testing.Cli.sbx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.cli.testing.FakeControlPlane;
import org.junit.jupiter.api.Test;

class CancelCommandTest {

  private static final String CANCEL = "/sandboxes/demo/execs/e1/cancel";

  @Test
  void cancelShouldPrintTheExecAndTheCodeItEndedWith() throws Exception {
    try (var plane =
        FakeControlPlane.start()
            .respond(
                "POST",
                CANCEL,
                200,
                "{\"exec_id\":\"e1\",\"status\":\"canceled\",\"reason\":\"canceled\","
                    + "\"exit_code\":143}")) {
      var result = sbx(plane, "cancel", "-id", "demo", "--exec-id", "e1");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.out()).isEqualTo("canceled e1 (exit 143)\n");
      assertThat(plane.awaitRequest("POST", CANCEL)).isNotNull();
    }
  }

  @Test
  void cancelWhenExecIsUnknownShouldExitWith3() throws Exception {
    try (var plane =
        FakeControlPlane.start()
            .problem("POST", CANCEL, 404, "Exec not found", "exec e1 is not known")) {
      var result = sbx(plane, "cancel", "-id", "demo", "-exec-id", "e1");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
      assertThat(result.err()).isEqualTo("error: Exec not found: exec e1 is not known\n");
      assertThat(result.out()).isEmpty();
    }
  }

  @Test
  void cancelWhenExecAlreadyFinishedShouldExitWith4() throws Exception {
    try (var plane =
        FakeControlPlane.start()
            .problem("POST", CANCEL, 409, "Exec finished", "exec e1 has already ended")) {
      var result = sbx(plane, "cancel", "-id", "demo", "-exec-id", "e1");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(4);
      assertThat(result.err()).isEqualTo("error: Exec finished: exec e1 has already ended\n");
    }
  }

  @Test
  void cancelWithoutExecIdShouldExitWith2() throws Exception {
    try (var plane = FakeControlPlane.start()) {
      var result = sbx(plane, "cancel", "-id", "demo");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
      assertThat(result.err()).startsWith("error: Missing required option").hasLineCount(1);
      assertThat(plane.requests()).isEmpty();
    }
  }
}
