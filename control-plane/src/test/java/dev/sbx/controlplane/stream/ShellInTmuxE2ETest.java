package dev.sbx.controlplane.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sbx.controlplane.testing.LocalControlPlaneTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sbx shell} as a person uses it: the real CLI in a tmux pane (a real terminal of a known
 * size), against the real control plane and bwrap, driven with send-keys and read with
 * capture-pane.
 */
class ShellInTmuxE2ETest extends LocalControlPlaneTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String PROMPT = "sandbox:/workspace$";

  private final String server = "sbx-test-" + UUID.randomUUID().toString().substring(0, 8);

  @TempDir Path dir;

  @AfterEach
  void stopTmux() throws Exception {
    tmux("kill-server");
  }

  @Test
  void aShellShouldWorkAsATerminalAndLeaveTheTerminalAsItWas() throws Exception {
    assumeTrue(onPath("tmux"), "tmux is not installed (apt-get install tmux)");
    assumeTrue(onPath("vi"), "vi is not installed (apt-get install vim-tiny)");
    var id = api.createSandbox();
    startShellInPane(id);

    keys("stty size", "Enter");
    awaitScreen(screen -> screen.contains("30 100"), "the pane's size, 30 100");
    tmux("resize-window", "-t", "t", "-x", "120", "-y", "40");
    // The resize reaches the sandbox a few ms after tmux returns: ask until it tells the new size.
    long deadline = System.nanoTime() + WAIT.toNanos();
    do {
      keys("stty size", "Enter");
      assertThat(System.nanoTime()).as("the new size, 40 120, within 30 s").isLessThan(deadline);
    } while (!awaitScreen(screen -> screen.contains("40 120"), Duration.ofMillis(500)));

    keys("vi /tmp/notes.txt", "Enter");
    awaitScreen(screen -> screen.contains("notes.txt") && screen.contains("\n~"), "vi's screen");
    keys("Escape", ":q!", "Enter");
    keys("echo vi-done-$((2+3))", "Enter");
    awaitScreen(screen -> screen.contains("vi-done-5"), "the shell after vi");

    keys("sleep 100; echo slept-$((1+1))", "Enter");
    awaitSleeping(id);
    keys("C-c");
    keys("echo alive-$((3+4))", "Enter");
    awaitScreen(screen -> screen.contains("alive-7"), "the shell after Ctrl-C");
    assertThat(screen()).doesNotContain("slept-2");

    keys("exit 5", "Enter");
    awaitScreen(screen -> screen.contains("EXIT=5"), "sbx exiting with the shell's 5");
    assertTerminalAsBefore();
  }

  @Test
  void aShellKilledWithSigtermShouldLeaveTheTerminalAsItWas() throws Exception {
    assumeTrue(onPath("tmux"), "tmux is not installed (apt-get install tmux)");
    var id = api.createSandbox();
    startShellInPane(id);
    var sbx = sbxProcess();

    assertThat(sbx.destroy()).as("SIGTERM sent to sbx").isTrue();

    awaitScreen(screen -> screen.contains("EXIT=143"), "sbx ending on SIGTERM (128+15)");
    assertTerminalAsBefore();
  }

  /**
   * Runs the real sbx shell in a 100x30 pane from a script that saves the pane's settings before
   * and after, and waits for the sandbox's prompt. {@code stty -g} rather than {@code -a}: it holds
   * every setting but the size, which a test may change on purpose.
   */
  private void startShellInPane(String id) throws Exception {
    var java = ProcessHandle.current().info().command().orElse("java");
    var script = dir.resolve("shell.sh");
    Files.writeString(
        script,
        String.join(
            "\n",
            // Written, then renamed: a file the test sees is a whole file.
            "echo $$ > "
                + dir.resolve("pid.tmp")
                + " && mv "
                + dir.resolve("pid.tmp")
                + " "
                + dir.resolve("script.pid"),
            "stty -g > " + dir.resolve("before"),
            "'" + java + "' -cp '" + System.getProperty("java.class.path") + "' dev.sbx.cli.Sbx \\",
            "  -addr " + api.base() + " shell -id " + id,
            "echo \"EXIT=$?\"",
            "stty -g > "
                + dir.resolve("after.tmp")
                + " && mv "
                + dir.resolve("after.tmp")
                + " "
                + dir.resolve("after"),
            ""));
    tmux("new-session", "-d", "-s", "t", "-x", "100", "-y", "30", "bash --norc --noprofile");
    keys("bash " + script, "Enter");
    awaitScreen(screen -> screen.contains(PROMPT), "the sandbox's prompt");
  }

  /** The sbx JVM: the one child of the pane's script. */
  private ProcessHandle sbxProcess() throws Exception {
    awaitFile(dir.resolve("script.pid"));
    long script = Long.parseLong(Files.readString(dir.resolve("script.pid")).strip());
    return ProcessHandle.of(script).orElseThrow().children().findFirst().orElseThrow();
  }

  private void assertTerminalAsBefore() throws Exception {
    awaitFile(dir.resolve("after"));
    assertThat(Files.readString(dir.resolve("after")))
        .as("stty -g after sbx shell")
        .isEqualTo(Files.readString(dir.resolve("before")));
  }

  private void awaitSleeping(String id) throws InterruptedException {
    var sleeping =
        "for p in /proc/[0-9]*; do [ \"$(cat $p/comm 2>/dev/null)\" = sleep ] && exit 0; done;"
            + " exit 1";
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (api.bash(id, sleeping).json().path("exit_code").asInt() != 0) {
      assertThat(System.nanoTime()).as("no sleep running within 30 s").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private void keys(String... keys) throws Exception {
    var args = new ArrayList<>(List.of("send-keys", "-t", "t"));
    args.addAll(List.of(keys));
    tmux(args.toArray(String[]::new));
  }

  private String screen() throws Exception {
    return tmux("capture-pane", "-p", "-t", "t");
  }

  /** Whether the pane shows it within the time. */
  private boolean awaitScreen(Predicate<String> done, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (!done.test(screen())) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }

  private void awaitScreen(Predicate<String> done, String what) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String screen = screen();
    while (!done.test(screen)) {
      assertThat(System.nanoTime())
          .as("no " + what + " within 30 s; the pane shows:\n" + screen)
          .isLessThan(deadline);
      Thread.sleep(50); // polling the pane, as a person looks at it
      screen = screen();
    }
  }

  private static void awaitFile(Path file) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!Files.exists(file)) {
      assertThat(System.nanoTime()).as(file + " within 30 s").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private String tmux(String... args) throws Exception {
    var command = new ArrayList<>(List.of("tmux", "-L", server));
    command.addAll(List.of(args));
    var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("tmux " + args[0] + " hung");
    }
    return out;
  }

  private static boolean onPath(String program) {
    for (var dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
