package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.config.ConfigKey;
import dev.sbx.controlplane.config.InvalidConfigException;
import dev.sbx.controlplane.runtime.SandboxDefaultsProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/** Checks this machine and opens the local runtime, or says in one line what is missing. */
public final class LocalRuntimeFactory {

  private static final Logger logger = LoggerFactory.getLogger(LocalRuntimeFactory.class);

  private LocalRuntimeFactory() {}

  /**
   * @param env the process environment, for PATH and XDG_STATE_HOME
   */
  public static LocalRuntime open(
      LocalProperties local,
      SandboxDefaultsProperties defaults,
      JsonMapper json,
      Map<String, String> env) {
    return open(local, defaults, json, env, null);
  }

  /**
   * @param initScript the script sandboxes start with, run by bash; null for the shipped sbx-init,
   *     native when the build compiled it
   */
  static LocalRuntime open(
      LocalProperties local,
      SandboxDefaultsProperties defaults,
      JsonMapper json,
      Map<String, String> env,
      byte @Nullable [] initScript) {
    var user = HostUser.current();
    if (env.containsKey("SANDBOX_LOCAL_RUN_AS")) {
      throw new InvalidConfigException(
          "SANDBOX_LOCAL_RUN_AS is gone: each local sandbox runs as a host uid of its own, from "
              + ConfigKey.LOCAL_UID_RANGE.envVar()
              + " (default "
              + ConfigKey.LOCAL_UID_RANGE.defaultValue()
              + ")");
    }
    var range = user.isRoot() ? HostUids.UidRange.parse(local.localUidRange()) : null;
    if (range != null) {
      HostAccounts.checkFree(range);
    }
    var bwrap = Bubblewrap.locate(local.bwrap(), env.get("PATH"));
    if (range != null && Bubblewrap.onPath("setpriv", env.get("PATH")) == null) {
      throw new InvalidConfigException(
          "setpriv (util-linux) is needed to run sandboxes as an unprivileged user when the"
              + " control plane runs as root; install util-linux");
    }
    var stateDir =
        local.stateFolder() != null ? local.stateFolder() : StateFolder.defaultPath(user, env);
    var state = StateFolder.open(stateDir.toAbsolutePath(), range != null);
    try {
      var system = HostSystem.detect().withEtcView(state.root());
      check(
          bwrap,
          range == null ? null : new HostUser((int) range.first(), (int) range.first()),
          system,
          state);
      var uids = range == null ? null : new HostUids(range, HostUids.REGISTRY, state.root());
      var disks = DiskSupport.open(state.root(), range != null, env.get("PATH"));
      var shared =
          new LocalSandboxContext(
              new BwrapCommand(
                  bwrap,
                  local.hostNetwork(),
                  system,
                  envResetsSignals(),
                  initProgram(state.root(), initScript == null)),
              new Launcher(),
              new OutputWatcher(),
              new ProtocolViolations(),
              cgroups(local, state.root()),
              uids,
              disks.disks(),
              disks.unavailable());
      var unenforced = shared.unenforced();
      if (!unenforced.isEmpty()) {
        // One line naming every limit that does not hold, each with why (the same text GET and
        // readiness show).
        logger.warn(
            "sandbox limits NOT enforced: {}",
            String.join(
                "; ",
                unenforced.entrySet().stream()
                    .map(e -> e.getKey() + " (" + e.getValue() + ")")
                    .toList()));
      }
      var runtime =
          new LocalRuntime(
              state,
              new SandboxFiles(
                  json, initScript == null ? SandboxFiles.defaultInitScript() : initScript),
              shared,
              defaults.resources());
      if (local.hostNetwork()) {
        logger.warn(
            "SANDBOX_LOCAL_NETWORK=host: local sandboxes share this machine's network, unfiltered,"
                + " with its loopback services (this control plane's API among them); network"
                + " policies are not enforced");
      }
      runtime.recover();
      runtime.keepSpares(local.warmPoolSize(), defaults.env());
      return runtime;
    } catch (IOException | RuntimeException e) {
      try {
        state.close();
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      if (e instanceof InvalidConfigException invalid) {
        throw invalid;
      }
      throw new InvalidConfigException("cannot start the local runtime: " + e, e);
    }
  }

  private static CgroupTree cgroups(LocalProperties local, Path stateRoot) {
    var tree = CgroupTree.open(CgroupMounts.read(), local.cgroupRoot(), instanceName(stateRoot));
    if (!tree.bases().isEmpty()) {
      logger.info(
          "sandbox limits: cgroup {} in {}",
          tree.v2() ? "v2" : "v1",
          new TreeSet<>(tree.bases().values()));
    }
    return tree;
  }

  /** One folder per state folder, so that two control planes never share sandbox cgroups. */
  static String instanceName(Path stateRoot) {
    try {
      var digest = MessageDigest.getInstance("SHA-256");
      var hash = digest.digest(stateRoot.toString().getBytes(StandardCharsets.UTF_8));
      return "sbx-" + HexFormat.of().formatHex(hash, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static InitProgram initProgram(Path stateRoot, boolean preferNative) throws IOException {
    var init = InitProgram.install(stateRoot, preferNative);
    if (init != null) {
      if (preferNative && !init.isNative()) {
        logger.info(
            "sbx-init runs as a shell script ({}): each exec costs a few ms more",
            InitProgram.nativeBuilt()
                ? "the native one does not run here"
                : "this control plane was built without a C compiler, cc");
      }
      return init;
    }
    logger.warn(
        "cannot run programs from {} (mounted noexec?): sbx-init runs from /bin/bash, and the"
            + " commands of a sandbox can reach its control channel (which stays bounded); set"
            + " SANDBOX_STATE_DIR to a folder that allows execution",
        stateRoot);
    return new InitProgram(Path.of("/bin/bash").toRealPath(), false);
  }

  private static boolean envResetsSignals() {
    try {
      var probe =
          new ProcessBuilder("env", "--default-signal", "true")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return probe.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void check(String bwrap, HostUser runAs, HostSystem system, StateFolder state)
      throws IOException {
    var checkDir = state.root().resolve(".check");
    Files.createDirectories(checkDir);
    if (runAs != null) {
      Files.setAttribute(checkDir, "unix:uid", runAs.uid());
      Files.setAttribute(checkDir, "unix:gid", runAs.gid());
    }
    Bubblewrap.tryOnce(bwrap, runAs, system, checkDir);
  }
}
