package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.runtime.TerminalSize;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The exec wrapper for a command on a terminal, run by this machine's /bin/sh as a pod exec would
 * run it: the program reads its stdin (the terminal) rather than an empty one, and carries the
 * exec's env, cwd and SBX_EXEC_ID, so that terminate finds it as any exec's processes.
 */
class TerminalWrapperTest {

  @Test
  void theProgramShouldReadWhatIsTypedWithTheExecsEnvAndCwd() throws Exception {
    var spec =
        new ExecSpec(
            "00000000000000f2",
            List.of("sh", "-c", "read line; echo \"$line|$SBX_EXEC_ID|$GREETING|$(pwd)\""),
            Map.of("GREETING", "hi"),
            "/tmp",
            null,
            false,
            new TerminalSize(80, 24));
    var process = new ProcessBuilder(ExecScripts.wrapped(spec)).start();
    try (var typed = process.getOutputStream()) {
      typed.write("typed\n".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    var err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("stdout %s, stderr %s", out, err).isZero();
    assertThat(out).isEqualTo("typed|00000000000000f2|hi|/tmp\n");
    // On a terminal this line is the first the terminal prints, which PodTerminal takes off.
    assertThat(err).isEqualTo(ExecScripts.STARTED + "\n");
  }
}
