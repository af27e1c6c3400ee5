package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.config.ConfigKey;
import dev.sbx.controlplane.config.InvalidConfigException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** Finds bubblewrap and checks, once at start-up, that it can make sandboxes on this machine. */
public final class Bubblewrap {

  static final String INSTALL_HINT =
      "bubblewrap (bwrap) is not installed; the local runtime needs it: install it with"
          + " 'sudo apt-get install bubblewrap' (Debian, Ubuntu) or 'sudo dnf install bubblewrap'"
          + " (Fedora), or set "
          + ConfigKey.BWRAP.envVar()
          + " to its path";

  private Bubblewrap() {}

  /** Returns the bwrap program's path, or throws with how to install it. */
  public static String locate(String configured, @Nullable String pathVariable) {
    if (configured.contains("/")) {
      if (Files.isExecutable(Path.of(configured))) {
        return configured;
      }
      throw new InvalidConfigException(
          ConfigKey.BWRAP.envVar() + "=\"" + configured + "\": not an executable file");
    }
    var found = onPath(configured, pathVariable);
    if (found == null) {
      throw new InvalidConfigException(INSTALL_HINT);
    }
    return found;
  }

  static @Nullable String onPath(String name, @Nullable String pathVariable) {
    if (pathVariable == null) {
      return null;
    }
    for (var dir : pathVariable.split(File.pathSeparator)) {
      var candidate = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }

  /**
   * Makes a throw-away sandbox that writes to a folder in the state folder, as real ones will, and
   * throws with bwrap's own words and a hint when that fails.
   *
   * @param checkDir a folder in the state folder that belongs to the sandboxes' host user
   */
  static void tryOnce(String bwrap, @Nullable HostUser runAs, HostSystem system, Path checkDir) {
    var cmd = new ArrayList<String>();
    if (runAs != null) {
      cmd.addAll(
          List.of("setpriv", "--reuid=" + runAs.uid(), "--regid=" + runAs.gid(), "--clear-groups"));
    }
    cmd.add(bwrap);
    cmd.addAll(List.of("--unshare-all", "--die-with-parent"));
    system.addMounts(cmd);
    cmd.addAll(List.of("--bind", checkDir.toString(), "/check", "--", "/usr/bin/test", "-w"));
    cmd.add("/check");
    try {
      var process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new InvalidConfigException(
            failureMessage(output.strip(), runAs, checkDir.getParent()));
      }
    } catch (IOException e) {
      throw new InvalidConfigException("cannot run " + bwrap + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InvalidConfigException("interrupted while checking bubblewrap", e);
    }
  }

  private static String failureMessage(String output, @Nullable HostUser runAs, Path stateDir) {
    var who = runAs == null ? "this user" : "uid " + runAs.uid();
    if (output.isEmpty()) {
      return "bubblewrap cannot write to "
          + stateDir
          + " as "
          + who
          + "; make every folder above it searchable (chmod o+x) or set "
          + ConfigKey.STATE_DIR.envVar()
          + " to another folder";
    }
    return "bubblewrap cannot create a sandbox as "
        + who
        + ": "
        + output.replace('\n', ' ')
        + " (it needs unprivileged user namespaces: check the sysctls"
        + " kernel.unprivileged_userns_clone and user.max_user_namespaces, or AppArmor's"
        + " restrictions on user namespaces)";
  }
}
