package dev.sbx.controlplane.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sbx.controlplane.config.ConfigLoader;
import dev.sbx.controlplane.runtime.ExecListener;
import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.runtime.MissingWorkingDirectoryException;
import dev.sbx.controlplane.runtime.OutputStreamKind;
import dev.sbx.controlplane.testing.RequiresBubblewrap;
import dev.sbx.controlplane.testing.Specs;
import dev.sbx.controlplane.testing.StateDirs;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Both sbx-inits, the native one and the script that runs where the build had no C compiler, start
 * commands alike: the same exit codes, environment, input, errors and descriptors.
 */
@RequiresBubblewrap
class InitProgramTest {

  private LocalRuntime runtime;
  private SignalHandler sigint;

  /**
   * As a control plane started in the background by a script: SIGINT ignored, which every child
   * inherits. The commands of a sandbox must not.
   */
  @BeforeEach
  void ignoreSigint() {
    sigint = Signal.handle(new Signal("INT"), SignalHandler.SIG_IGN);
  }

  @AfterEach
  void close() throws Exception {
    Signal.handle(new Signal("INT"), sigint);
    if (runtime != null) {
      runtime.list().forEach(s -> runtime.delete(s.id()));
      runtime.close();
    }
  }

  @Test
  void aBuildOnAMachineWithACompilerShouldShipTheNativeInit() {
    var cc =
        Stream.of(System.getenv("PATH").split(File.pathSeparator))
            .anyMatch(dir -> Files.isExecutable(Path.of(dir, "cc")));
    assertThat(InitProgram.nativeBuilt())
        .as("the native sbx-init is in the build exactly when cc is on PATH")
        .isEqualTo(cc);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void commandsShouldGetTheirExitCodeEnvironmentInputAndOnlyTheStandardDescriptors(
      boolean nativeInit) throws Exception {
    open(nativeInit);
    var status = run(spec(List.of("sh", "-c", "exit 42"), Map.of(), "/", null));
    assertThat(status.outcome()).isEqualTo(ExecOutcome.exited(42));

    var env =
        run(
            spec(
                List.of("sh", "-c", "echo \"$GREETING|$PWD|${SBX_EXEC_ID:+id}|$HOME\"; pwd"),
                Map.of("GREETING", "a b  c"),
                "/tmp",
                null));
    assertThat(env.stdout()).isEqualTo("a b  c|/tmp|id|/home/sandbox\n/tmp\n");

    var input = run(spec(List.of("wc", "-c"), Map.of(), "/", "twelve bytes".getBytes()));
    assertThat(input.stdout().trim()).isEqualTo("12");

    var descriptors = run(spec(List.of("ls", "/proc/self/fd"), Map.of(), "/", null));
    assertThat(descriptors.stdout().lines().toList())
        .as("what a command inherits besides its own ls descriptor")
        .containsExactly("0", "1", "2", "3");

    var signals =
        run(
            spec(
                List.of("sed", "-n", "s/^SigIgn:\t//p", "/proc/self/status"), Map.of(), "/", null));
    // Signals 1-31; glibc keeps 32 and 33 for itself and no command may change them.
    assertThat(Long.parseLong(signals.stdout().trim(), 16) & 0x7fffffffL)
        .as("no standard signal ignored, whatever the control plane ignores")
        .isZero();

    var killed = run(spec(List.of("sh", "-c", "kill -KILL $$"), Map.of(), "/", null));
    assertThat(killed.outcome()).isEqualTo(ExecOutcome.exited(ExecOutcome.KILLED));
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aMissingCommandOrFolderShouldSayWhichLikeAShell(boolean nativeInit) throws Exception {
    open(nativeInit);
    var missing = run(spec(List.of("no-such-command"), Map.of(), "/", null));
    assertThat(missing.outcome()).isEqualTo(ExecOutcome.exited(127));
    assertThat(missing.stderr()).isEqualTo("sbx: no-such-command: command not found\n");

    var notRunnable = run(spec(List.of("/etc/passwd"), Map.of(), "/", null));
    assertThat(notRunnable.outcome()).isEqualTo(ExecOutcome.exited(126));

    assertThatThrownBy(() -> run(spec(List.of("true"), Map.of(), "/no/such/folder", null)))
        .isInstanceOf(MissingWorkingDirectoryException.class);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void manyCommandsAtOnceShouldEachGetTheirOwnExitCode(boolean nativeInit) throws Exception {
    open(nativeInit);
    var started = new ArrayList<CompletableFuture<Ran>>();
    for (int i = 0; i < 60; i++) {
      var command = List.of("sh", "-c", "sleep 0.0" + (i % 7) + "; exit " + i);
      started.add(start(spec(command, Map.of(), "/", null)));
    }
    for (int i = 0; i < started.size(); i++) {
      assertThat(started.get(i).get(60, TimeUnit.SECONDS).outcome())
          .isEqualTo(ExecOutcome.exited(i));
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void asRootTheSandboxShouldRunAsItsOwnHostUserWithNoPrivilegeLeft(boolean nativeInit)
      throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "an ordinary user's sandboxes run as that user: there is no identity to switch");
    open(nativeInit);
    var init = initProcess();
    var bwrap = init.parent().orElseThrow();
    for (var process : List.of(init, bwrap)) {
      var status = Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"));
      var uid = field(status, "Uid:");
      assertThat(uid.split("\t")).hasSize(4).doesNotContain("0").containsOnly(uid.split("\t")[0]);
      assertThat(field(status, "Gid:").split("\t")).hasSize(4).doesNotContain("0");
      assertThat(field(status, "Groups:")).isEmpty();
      for (var set : List.of("CapInh:", "CapPrm:", "CapEff:", "CapBnd:", "CapAmb:")) {
        assertThat(field(status, set)).as(set).isEqualTo("0000000000000000");
      }
    }
  }

  /** The host process of this test's sandbox's sbx-init: its mounts come from its folder. */
  private static ProcessHandle initProcess() throws Exception {
    for (var process : ProcessHandle.allProcesses().toList()) {
      var dir = Path.of("/proc", Long.toString(process.pid()));
      try {
        var cmdline =
            new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8);
        if ((cmdline.equals("/run/sbx-init\0") || cmdline.endsWith("/run/sbx/init\0"))
            && Files.readString(dir.resolve("mountinfo")).contains("/sbx-init/")) {
          return process;
        }
      } catch (java.io.IOException e) {
        // gone, or not ours to read
      }
    }
    throw new AssertionError("no sbx-init process found");
  }

  private static String field(List<String> status, String name) {
    return status.stream()
        .filter(line -> line.startsWith(name))
        .map(line -> line.substring(name.length()).strip())
        .findFirst()
        .orElseThrow();
  }

  private void open(boolean nativeInit) {
    var config =
        ConfigLoader.load(
            Map.of("SANDBOX_STATE_DIR", StateDirs.create("init-" + nativeInit).toString()));
    runtime =
        nativeInit
            ? TestLocalRuntimes.open(config)
            : TestLocalRuntimes.open(config, SandboxFiles.defaultInitScript());
    runtime.create(Specs.named("sbx-init"));
  }

  private static ExecSpec spec(
      List<String> command, Map<String, String> env, String cwd, byte[] stdin) {
    return new ExecSpec(Long.toHexString(System.nanoTime()), command, env, cwd, stdin);
  }

  private Ran run(ExecSpec spec) throws Exception {
    return start(spec).get(30, TimeUnit.SECONDS);
  }

  private CompletableFuture<Ran> start(ExecSpec spec) {
    var stdout = new ByteArrayOutputStream();
    var stderr = new ByteArrayOutputStream();
    var ended = new CompletableFuture<Ran>();
    runtime.exec(
        "sbx-init",
        spec,
        new ExecListener() {
          @Override
          public void output(OutputStreamKind stream, byte[] data, int length) {
            synchronized (this) {
              (stream == OutputStreamKind.STDOUT ? stdout : stderr).write(data, 0, length);
            }
          }

          @Override
          public void finished(ExecOutcome outcome) {
            synchronized (this) {
              ended.complete(
                  new Ran(
                      outcome,
                      stdout.toString(StandardCharsets.UTF_8),
                      stderr.toString(StandardCharsets.UTF_8)));
            }
          }
        });
    return ended;
  }

  private record Ran(ExecOutcome outcome, String stdout, String stderr) {}
}
