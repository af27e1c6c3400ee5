package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.runtime.ExecSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The command lines of pod execs: the wrapper every exec runs under, and the script that signals an
 * exec's processes. Both are POSIX sh, the one shell every image has.
 */
final class ExecScripts {

  static final String STARTED = "sbx:started";
  static final String MISSING_CWD = "sbx:cwd";
  // The wrapper's stdin length for a command on a terminal: its stdin is the terminal, never EOF.
  static final String TTY_STDIN = "tty";

  private static final String WRAPPER = load("exec-wrapper.sh");
  private static final String DETACHED = load("exec-detached.sh");
  private static final String KILL = load("exec-kill.sh");
  private static final String INTERRUPTED = load("exec-interrupted.sh");

  /** The sandbox container's PID 1, which reaps orphaned processes. */
  static final String SANDBOX_INIT = load("sandbox-init.sh");

  private ExecScripts() {}

  /** The argv of a pod exec that runs the spec's command under the wrapper. */
  static List<String> wrapped(ExecSpec spec) {
    var argv = new ArrayList<String>();
    argv.addAll(List.of("/bin/sh", "-c", WRAPPER, "sbx-exec", spec.execId(), spec.cwd()));
    argv.add(String.valueOf(spec.env().size()));
    argv.add(spec.tty() != null ? TTY_STDIN : String.valueOf(stdinLength(spec)));
    spec.env().forEach((name, value) -> argv.add(name + "=" + value));
    argv.addAll(spec.command());
    return argv;
  }

  /**
   * The argv of a pod exec that starts the spec's command apart from the exec (sidecar mode): its
   * output and exit status go to files in the events folder, which the stream sidecar sends on.
   */
  static List<String> detached(ExecSpec spec, String eventsDir) {
    var argv = new ArrayList<String>();
    argv.addAll(
        List.of("/bin/sh", "-c", DETACHED, "sbx-exec", spec.execId(), spec.cwd(), eventsDir));
    argv.add(String.valueOf(spec.env().size()));
    argv.add(String.valueOf(stdinLength(spec)));
    spec.env().forEach((name, value) -> argv.add(name + "=" + value));
    argv.addAll(spec.command());
    return argv;
  }

  private static int stdinLength(ExecSpec spec) {
    return spec.stdin() == null ? 0 : spec.stdin().length;
  }

  /** The argv of a pod exec that sends a signal (TERM, KILL) to all of an exec's processes. */
  static List<String> kill(String execId, String signal) {
    return List.of("/bin/sh", "-c", KILL, "sbx-kill", execId, signal);
  }

  /** The argv of a pod exec that lists (and forgets) the execs no control plane saw end. */
  static List<String> interrupted() {
    return List.of("/bin/sh", "-c", INTERRUPTED, "sbx-interrupted");
  }

  private static String load(String name) {
    try (InputStream in = ExecScripts.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new UncheckedIOException(
          new IOException(name + " is missing from the control plane", e));
    }
  }
}
