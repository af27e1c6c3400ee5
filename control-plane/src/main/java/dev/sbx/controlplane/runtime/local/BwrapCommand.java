package dev.sbx.controlplane.runtime.local;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Builds the command that starts a sandbox's first process under bubblewrap: a launch command (join
 * the sandbox's cgroups, drop to its host user, run bwrap) and bwrap's options, which bwrap reads
 * from a file so that none of the host paths they name shows in the sandbox's {@code
 * /proc/1/cmdline}. Pure: the same inputs always give the same command, so it is tested without
 * running anything.
 *
 * @param bwrap path of the bwrap program
 * @param hostNetwork share this machine's network instead of a private, empty one
 * @param system what of the host's system the sandbox sees
 * @param resetSignals start with every signal at its default action (coreutils env can)
 * @param init the program sbx-init runs from, executable but not readable
 */
record BwrapCommand(
    String bwrap, boolean hostNetwork, HostSystem system, boolean resetSignals, InitProgram init) {

  static final String SANDBOX_USER = "sandbox";
  static final int SANDBOX_UID = 1000;
  static final String HOSTNAME = "sandbox";
  static final String HOME = "/home/sandbox";

  /** The PATH of the launch command, which runs with an otherwise empty environment. */
  static final String HOST_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  // Moves itself into each cgroup before anything forks, so that no process of the sandbox ever
  // runs outside them, then hands bwrap its options on descriptor 3.
  private static final String LAUNCH =
      "a=$1; shift; while [ \"$1\" != -- ]; do echo $$ >\"$1\" || exit 125; shift; done; shift;"
          + " exec 3<\"$a\" && exec \"$@\"";

  /**
   * The command to start the sandbox with.
   *
   * @param argsFile the file holding {@link #options}, NUL-separated
   * @param cgroupProcs the {@code cgroup.procs} file of each cgroup the sandbox runs in
   * @param runAs the sandbox's own host uid and gid, to switch to first, when the control plane
   *     runs as root
   */
  List<String> launch(Path argsFile, List<Path> cgroupProcs, @Nullable HostUser runAs) {
    var cmd = new ArrayList<String>();
    if (init.isNative()) {
      // The native sbx-init does in one exec what LAUNCH, env and setpriv do in three (each 2-4
      // ms on a VM), and starts every command with all signals at their default action.
      cmd.addAll(List.of(init.host().toString(), "--launch"));
      if (runAs != null) {
        cmd.addAll(List.of("--as", runAs.uid() + ":" + runAs.gid()));
      }
    } else {
      cmd.addAll(List.of("/bin/sh", "-c", LAUNCH, "sbx-launch"));
    }
    cmd.add(argsFile.toString());
    cgroupProcs.forEach(procs -> cmd.add(procs.toString()));
    cmd.add("--");
    if (!init.isNative() && resetSignals) {
      // A control plane started in the background by a script has SIGINT ignored, and ignored
      // signals are inherited: without this, Ctrl-C could not stop commands in the sandbox.
      cmd.addAll(List.of("env", "--default-signal"));
    }
    if (!init.isNative() && runAs != null) {
      // bwrap started by root would map the sandbox's user to host root; an unprivileged host
      // user keeps a sandbox escape harmless, and makes root and non-root runs alike.
      cmd.addAll(
          List.of(
              "setpriv",
              "--reuid=" + runAs.uid(),
              "--regid=" + runAs.gid(),
              "--clear-groups",
              "--inh-caps=-all",
              "--bounding-set=-all",
              "--"));
    }
    cmd.addAll(List.of(bwrap, "--args", "3", "--"));
    cmd.addAll(init.command());
    return cmd;
  }

  /** bwrap's options, NUL-separated, as {@code --args} reads them. */
  byte[] options(SandboxFolder folder, Map<String, String> env) {
    var out = new ByteArrayOutputStream();
    for (var option : optionList(folder, env)) {
      out.writeBytes(option.getBytes(StandardCharsets.UTF_8));
      out.write(0);
    }
    return out.toByteArray();
  }

  List<String> optionList(SandboxFolder folder, Map<String, String> env) {
    var cmd = new ArrayList<String>();
    cmd.addAll(
        List.of(
            "--unshare-user",
            "--unshare-pid",
            "--unshare-ipc",
            "--unshare-uts",
            "--unshare-cgroup-try"));
    if (!hostNetwork) {
      cmd.add("--unshare-net");
    }
    cmd.addAll(
        List.of(
            "--disable-userns",
            "--die-with-parent",
            // sbx-init is the pid namespace's first process, with no bwrap helper beside it that
            // a command could reach: together with InitShell, its pipes are out of reach.
            "--as-pid-1",
            "--new-session",
            "--cap-drop",
            "ALL",
            "--uid",
            String.valueOf(SANDBOX_UID),
            "--gid",
            String.valueOf(SANDBOX_UID),
            "--hostname",
            HOSTNAME));
    system.addMounts(cmd);
    if (system.etcView() == null) {
      for (var file : List.of("passwd", "group", "hosts", "hostname")) {
        bind(cmd, "--ro-bind", folder.etc().resolve(file).toString(), "/etc/" + file);
      }
    }
    cmd.addAll(List.of("--proc", "/proc", "--dev", "/dev"));
    bind(cmd, "--bind", folder.tmp().toString(), "/tmp");
    bind(cmd, "--bind", folder.workspace().toString(), "/workspace");
    bind(cmd, "--bind", folder.cache().toString(), "/cache");
    bind(cmd, "--bind", folder.home().toString(), HOME);
    bind(cmd, "--ro-bind", folder.run().toString(), "/run/sbx");
    bind(cmd, "--bind", folder.execs().toString(), "/run/sbx/x");
    bind(cmd, "--ro-bind", init.host().toString(), init.inside());
    if (!hostNetwork && !EgressLink.JAVA_HOME.startsWith("/usr/")) {
      // The egress forwarder runs on the control plane's JDK, which sandboxes see under /usr only.
      bind(cmd, "--ro-bind", EgressLink.JAVA_HOME.toString(), EgressLink.JAVA_HOME_INSIDE);
    }
    // The root is bwrap's own tmpfs; read-only, so folders such as /etc cannot gain files that
    // would vanish with the sandbox's init.
    cmd.addAll(List.of("--remount-ro", "/", "--chdir", "/workspace", "--clearenv"));
    setenv(cmd, "PATH", PATH);
    setenv(cmd, "HOME", HOME);
    setenv(cmd, "USER", SANDBOX_USER);
    setenv(cmd, "LOGNAME", SANDBOX_USER);
    setenv(cmd, "SHELL", "/bin/bash");
    setenv(cmd, "HOSTNAME", HOSTNAME);
    setenv(cmd, "LANG", "C.UTF-8");
    env.forEach((name, value) -> setenv(cmd, name, value));
    if (!hostNetwork) {
      // Set last, so a sandbox's own env cannot point its programs past the proxy by accident.
      new TreeMap<>(EgressLink.PROXY_ENV).forEach((name, value) -> setenv(cmd, name, value));
    }
    return cmd;
  }

  private static void bind(List<String> cmd, String how, String source, String target) {
    cmd.add(how);
    cmd.add(source);
    cmd.add(target);
  }

  private static void setenv(List<String> cmd, String name, String value) {
    cmd.add("--setenv");
    cmd.add(name);
    cmd.add(value);
  }
}
