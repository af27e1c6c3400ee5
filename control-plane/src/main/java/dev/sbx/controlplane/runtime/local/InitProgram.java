package dev.sbx.controlplane.runtime.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The program a sandbox's first process runs, sbx-init: native when the build could compile {@code
 * src/main/c/sbx-init.c}, otherwise {@code sbx-init.sh} under a copy of the host's bash. Both speak
 * the same protocol; the native one starts a command in about 2 ms where the script takes about 10
 * (two forks of bash, 3-4 ms each on a VM; measured side by side with one driver, 300 requests).
 *
 * <p>Either is installed in the state folder executable but not readable. Why: sbx-init holds the
 * control channel's pipes, and a command of the sandbox runs as the same user. Any process may open
 * another's descriptors through {@code /proc/<pid>/fd} when it may ptrace it, which the same user
 * may, unless the target is not "dumpable". The kernel marks a process not dumpable when it
 * executes a file its user cannot read. So sbx-init keeps its descriptors to itself, while every
 * command it starts executes a readable program and is an ordinary process again. (The native one
 * also says so itself, with {@code PR_SET_DUMPABLE}.)
 *
 * @param host where the program is on the host
 * @param isNative the compiled sbx-init rather than bash running the script
 */
record InitProgram(Path host, boolean isNative) {

  /** Where sandboxes see {@link #host}. */
  static final String INSIDE_NATIVE = "/run/sbx-init";

  static final String INSIDE_SHELL = "/run/sbx-shell";

  /** Where sandboxes see the script; written into every sandbox's folder. */
  static final String SCRIPT_INSIDE = "/run/sbx/init";

  private static final String NATIVE_RESOURCE = "sbx-init";

  /** Where sandboxes see the program. */
  String inside() {
    return isNative ? INSIDE_NATIVE : INSIDE_SHELL;
  }

  /** The command line of a sandbox's first process. */
  List<String> command() {
    return isNative ? List.of(INSIDE_NATIVE) : List.of(INSIDE_SHELL, SCRIPT_INSIDE);
  }

  /** Whether this control plane was built with the native sbx-init. */
  static boolean nativeBuilt() {
    return InitProgram.class.getResource(NATIVE_RESOURCE) != null;
  }

  /**
   * Installs sbx-init into the state folder and checks that it runs there: the native one when
   * {@code preferNative} and the build made it, else the shell. Null, with the reason logged by the
   * caller, when neither runs there (a state folder mounted {@code noexec}).
   */
  static @Nullable InitProgram install(Path stateRoot, boolean preferNative) throws IOException {
    if (preferNative) {
      try (InputStream in = InitProgram.class.getResourceAsStream(NATIVE_RESOURCE)) {
        if (in != null) {
          var target = stateRoot.resolve("init-native");
          copyExecuteOnly(in, stateRoot, target);
          if (runs(List.of(target.toString(), "--probe"))) {
            return new InitProgram(target, true);
          }
        }
      }
    }
    var target = stateRoot.resolve("init-shell");
    try (InputStream in = Files.newInputStream(Path.of("/bin/bash").toRealPath())) {
      copyExecuteOnly(in, stateRoot, target);
    }
    return runs(List.of(target.toString(), "-c", "exit 0")) ? new InitProgram(target, false) : null;
  }

  private static void copyExecuteOnly(InputStream in, Path stateRoot, Path target)
      throws IOException {
    var temp = stateRoot.resolve(target.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    Files.copy(in, temp);
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("--x--x--x"));
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static boolean runs(List<String> probe) {
    try {
      var process =
          new ProcessBuilder(probe)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
