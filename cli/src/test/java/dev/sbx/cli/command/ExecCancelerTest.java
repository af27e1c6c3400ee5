package dev.sbx.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.sbx.cli.client.ControlPlaneClient;
import dev.sbx.cli.output.Printer;
import dev.sbx.cli.testing.FakeControlPlane;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ExecCancelerTest {

  private static final String CANCEL = "/sandboxes/demo/execs/e1/cancel";

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private ExecCanceler canceler(FakeControlPlane plane) {
    return new ExecCanceler(
        new ControlPlaneClient(plane.url(), null),
        "demo",
        "e1",
        new Printer(new PrintStream(err, true, StandardCharsets.UTF_8)));
  }

  // The cancel answer as in CancelCommandTest: each test arranges the route it exercises (the
  // duplicates tool reports the pair).
  @Test
  void cancelWhileTheExecRunsShouldPostToItsCancelRoute() throws Exception {
    try (var plane =
        FakeControlPlane.start()
            .respond(
                "POST",
                CANCEL,
                200,
                "{\"exec_id\":\"e1\",\"status\":\"canceled\",\"exit_code\":143}")) {
      assertThat(canceler(plane).cancel()).isTrue();

      assertThat(plane.requests())
          .extracting("method", "path")
          .containsExactly(tuple("POST", CANCEL));
      assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }
  }

  @Test
  void cancelAfterTheExecFinishedShouldSendNothing() throws Exception {
    try (var plane = FakeControlPlane.start()) {
      var canceler = canceler(plane);
      canceler.close();

      assertThat(canceler.cancel()).isFalse();

      assertThat(plane.requests()).isEmpty();
    }
  }

  @Test
  void cancelWhenTheExecEndedMeanwhileShouldSayNothing() throws Exception {
    try (var plane =
        FakeControlPlane.start().problem("POST", CANCEL, 409, "Exec finished", "e1 has ended")) {
      assertThat(canceler(plane).cancel()).isFalse();

      assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }
  }

  @Test
  void cancelWhenTheServerFailsShouldSayHowToStopTheExec() throws Exception {
    try (var plane =
        FakeControlPlane.start().problem("POST", CANCEL, 500, "Internal error", "boom")) {
      assertThat(canceler(plane).cancel()).isFalse();

      assertThat(err.toString(StandardCharsets.UTF_8))
          .isEqualTo(
              "sbx: could not cancel exec e1 (Internal error: boom);"
                  + " stop it with: sbx cancel -id demo -exec-id e1\n");
    }
  }
}
