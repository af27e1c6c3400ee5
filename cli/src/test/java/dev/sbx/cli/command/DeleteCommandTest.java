package dev.sbx.cli.command;

import static dev.sbx.cli.testing.Cli.sbx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.cli.testing.FakeControlPlane;
import org.junit.jupiter.api.Test;

class DeleteCommandTest {

  @Test
  void deleteShouldPrintTheDeletedId() throws Exception {
    try (var plane =
        FakeControlPlane.start()
            .respond(
                "DELETE", "/sandboxes/demo", 200, "{\"id\":\"sbx-demo\",\"status\":\"deleted\"}")) {
      var result = sbx(plane, "delete", "-id", "demo");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.out()).isEqualTo("deleted sbx-demo\n");
    }
  }

  @Test
  void deleteWhenServerSaysNotFoundShouldExitWith3() throws Exception {
    try (var plane =
        FakeControlPlane.start()
            .problem(
                "DELETE",
                "/sandboxes/nope",
                404,
                "Sandbox not found",
                "sandbox sbx-nope does not exist")) {
      var result = sbx(plane, "delete", "-id", "nope");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
      assertThat(result.err())
          .isEqualTo("error: Sandbox not found: sandbox sbx-nope does not exist\n");
      assertThat(result.out()).isEmpty();
    }
  }

  @Test
  void deleteWhenServerSaysConflictShouldExitWith4() throws Exception {
    try (var plane =
        FakeControlPlane.start()
            .problem("DELETE", "/sandboxes/demo", 409, "Conflict", "sandbox sbx-demo is busy")) {
      var result = sbx(plane, "delete", "-id", "demo");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(4);
      assertThat(result.err()).isEqualTo("error: Conflict: sandbox sbx-demo is busy\n");
    }
  }

  @Test
  void deleteWhenRuntimeIsUnavailableShouldExitWith4() throws Exception {
    try (var plane =
        FakeControlPlane.start()
            .problem("DELETE", "/sandboxes/demo", 503, "Runtime unavailable", "cluster is down")) {
      var result = sbx(plane, "delete", "-id", "demo");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(4);
    }
  }
}
