package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sbx.controlplane.runtime.ExecSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidecar-mode exec wrapper, run by this machine's /bin/sh as a pod exec would run it in the
 * sandbox container: it returns at once and leaves the program's output and status in files.
 */
class DetachedExecScriptTest {

  private static final String EXEC_ID = "00000000000000d1";

  @TempDir Path events;

  @Test
  void argumentsShouldReachTheProgramExactlyAsGivenAndNothingElseShouldRun() throws Exception {
    var result = run(List.of("echo", "a;id", "$(whoami)", "it's"), null);

    assertThat(result.exitCode).isZero();
    assertThat(result.stderr).isEqualTo(ExecScripts.STARTED + "\n");
    awaitExit();
    assertThat(read(".stdout")).isEqualTo("a;id $(whoami) it's\n");
    assertThat(read(".stderr")).isEmpty();
    assertThat(read(".exit")).isEqualTo("0\n");
  }

  @Test
  void theProgramShouldGetItsStdinEnvAndCwdAndItsStatusShouldBeKept() throws Exception {
    var spec =
        new ExecSpec(
            EXEC_ID,
            List.of("sh", "-c", "cat; echo \"$GREETING $SBX_EXEC_ID $(pwd)\" >&2; exit 3"),
            Map.of("GREETING", "hello"),
            events.toString(),
            "from stdin\n".getBytes(StandardCharsets.UTF_8),
            true);
    var result = run(spec);

    assertThat(result.exitCode).isZero();
    awaitExit();
    assertThat(read(".stdout")).isEqualTo("from stdin\n");
    assertThat(read(".stderr")).isEqualTo("hello " + EXEC_ID + " " + events + "\n");
    assertThat(read(".exit")).isEqualTo("3\n");
    assertThat(events.resolve(EXEC_ID + ".stdin")).doesNotExist();
    assertThat(events.resolve(EXEC_ID + ".exit.tmp")).doesNotExist();
  }

  @Test
  void anUnknownProgramShouldEndWith127AndSaySo() throws Exception {
    run(List.of("no-such-program-sbx"), null);
    awaitExit();
    assertThat(read(".stderr")).contains("no-such-program-sbx: command not found");
    assertThat(read(".exit")).isEqualTo("127\n");
  }

  @Test
  void aMissingWorkingDirectoryShouldBeReportedBeforeAnythingStarts() throws Exception {
    var spec = new ExecSpec(EXEC_ID, List.of("true"), Map.of(), "/no/such/dir", null, true);
    var result = run(spec);
    assertThat(result.exitCode).isEqualTo(126);
    assertThat(result.stderr).isEqualTo(ExecScripts.MISSING_CWD + "\n");
    assertThat(events.resolve(EXEC_ID + ".stdout")).doesNotExist();
  }

  @Test
  void thePodExecShouldReturnWhileTheProgramGoesOn() throws Exception {
    long started = System.nanoTime();
    run(List.of("sh", "-c", "sleep 1; echo late"), null);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(900));
    assertThat(events.resolve(EXEC_ID + ".exit")).doesNotExist();
    awaitExit();
    assertThat(read(".stdout")).isEqualTo("late\n");
  }

  private record Result(int exitCode, String stderr) {}

  private Result run(List<String> command, byte[] stdin) throws Exception {
    return run(new ExecSpec(EXEC_ID, command, Map.of(), events.toString(), stdin, true));
  }

  private Result run(ExecSpec spec) throws Exception {
    var process =
        new ProcessBuilder(ExecScripts.detached(spec, events.toString()))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try (var in = process.getOutputStream()) {
      if (spec.stdin() != null) {
        in.write(spec.stdin());
      }
    }
    var stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), stderr);
  }

  private void awaitExit() {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Files.exists(events.resolve(EXEC_ID + ".exit")));
  }

  private String read(String suffix) throws Exception {
    return Files.readString(events.resolve(EXEC_ID + suffix));
  }
}
