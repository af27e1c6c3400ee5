package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sandbox container's default command, run by this machine's /bin/sh as PID 1 of a new PID
 * namespace (bubblewrap), as the container runtime runs it: an orphaned process that ends is
 * reaped, not left a zombie.
 */
class SandboxInitTest {

  private Process namespace;

  @AfterEach
  void stop() {
    if (namespace != null) {
      namespace.destroyForcibly();
    }
  }

  @Test
  void anOrphanThatEndsShouldBeReapedByTheSandboxsPidOne() throws Exception {
    // The subshell's sleep is orphaned at once and handed to PID 1, which the shell then becomes.
    var init = pidOne("(sleep 0.2 &); exec /bin/sh -c \"$0\" sbx-init", ExecScripts.SANDBOX_INIT);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(states(children(init)))
                    .as("PID 1's children: its own sleep, and no zombie")
                    .containsExactly("S"));
  }

  @Test
  void sleepAsPidOneShouldLeaveTheZombieThisInitExistsFor() throws Exception {
    var sleep = pidOne("(sleep 0.2 &); exec sleep 600", "");
    await().atMost(Duration.ofSeconds(10)).until(() -> states(children(sleep)).contains("Z"));
  }

  /** Runs the script as PID 1 of a new PID namespace; returns PID 1's pid on this machine. */
  private long pidOne(String script, String argument) throws IOException {
    namespace =
        new ProcessBuilder(
                "bwrap",
                "--unshare-user",
                "--unshare-pid",
                "--as-pid-1",
                "--die-with-parent",
                "--ro-bind",
                "/",
                "/",
                "--proc",
                "/proc",
                "--dev",
                "/dev",
                "/bin/sh",
                "-c",
                script,
                argument)
            .redirectErrorStream(true)
            .start();
    var bwrap = namespace.pid();
    await().atMost(Duration.ofSeconds(10)).until(() -> children(bwrap).size() == 1);
    return children(bwrap).get(0);
  }

  private static List<Long> children(long pid) throws IOException {
    var children = new ArrayList<Long>();
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (var task : tasks.toList()) {
        var text = Files.readString(task.resolve("children")).trim();
        if (!text.isEmpty()) {
          Arrays.stream(text.split(" ")).map(Long::parseLong).forEach(children::add);
        }
      }
    }
    return children;
  }

  private static List<String> states(List<Long> pids) throws IOException {
    var states = new ArrayList<String>();
    for (var pid : pids) {
      var stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The state follows the command's closing parenthesis.
      states.add(stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
    }
    return states;
  }
}
