package dev.sbx.controlplane.runtime.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The shell sbx-init runs in: a copy of the host's bash that may be executed but not read.
 *
 * <p>Why: sbx-init holds the control channel's pipes, and a command of the sandbox runs as the same
 * user. Any process may open another's descriptors through {@code /proc/<pid>/fd} when it may
 * ptrace it, which the same user may, unless the target is not "dumpable". The kernel marks a
 * process not dumpable when it executes a file its user cannot read. So sbx-init, run from this
 * copy, keeps its descriptors to itself, while every command it starts executes a readable program
 * and is an ordinary process again.
 */
final class InitShell {

  static final String NAME = "init-shell";

  private InitShell() {}

  /**
   * Copies bash into the state folder, execute-only, and checks that it runs there; null, with the
   * reason logged by the caller, when it cannot (a state folder mounted {@code noexec}).
   */
  static @Nullable Path install(Path stateRoot) throws IOException {
    var target = stateRoot.resolve(NAME);
    var temp = stateRoot.resolve(NAME + ".tmp");
    Files.deleteIfExists(temp);
    Files.copy(Path.of("/bin/bash").toRealPath(), temp);
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("--x--x--x"));
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return runs(target) ? target : null;
  }

  private static boolean runs(Path shell) {
    try {
      var probe =
          new ProcessBuilder(shell.toString(), "-c", "exit 0")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
