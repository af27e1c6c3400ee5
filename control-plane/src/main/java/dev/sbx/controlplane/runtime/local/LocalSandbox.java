package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.runtime.EgressChannels;
import dev.sbx.controlplane.runtime.EgressPolicy;
import dev.sbx.controlplane.runtime.ExecListener;
import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.runtime.HelperOutcome;
import dev.sbx.controlplane.runtime.LaunchType;
import dev.sbx.controlplane.runtime.ResourceUsage;
import dev.sbx.controlplane.runtime.Resources;
import dev.sbx.controlplane.runtime.SandboxInfo;
import dev.sbx.controlplane.runtime.Terminal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.WatchKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One local sandbox: its folder and the current run of its first process. Commands are started by
 * that process, so they share the sandbox's namespaces, files and background processes, as the
 * containers of one pod would.
 */
final class LocalSandbox {

  private volatile SandboxMetadata metadata;
  private final SandboxFolder folder;
  private final LocalSandboxContext shared;
  private final EgressLink egress;
  private volatile SandboxInit init; // changed under this
  private volatile @Nullable SandboxCgroup cgroup; // made under this
  private WatchKey watchKey; // guarded by this
  private volatile String phase = "Pending";
  private volatile LaunchType launchType = LaunchType.COLD;
  private volatile boolean deleted;

  LocalSandbox(SandboxMetadata metadata, SandboxFolder folder, LocalSandboxContext shared) {
    this.metadata = metadata;
    this.folder = folder;
    this.shared = shared;
    this.egress = new EgressLink(metadata.id(), folder, shared.command().init().isNative());
  }

  String id() {
    return metadata.id();
  }

  SandboxInfo info() {
    return info(null);
  }

  /** The sandbox with what it uses now, read from its cgroup and its disk. */
  SandboxInfo infoWithUsage() {
    var current = cgroup;
    var disk = folder.diskId();
    var diskBytes = disk == null || shared.disks() == null ? null : shared.disks().used(disk);
    return info(current == null ? ResourceUsage.UNKNOWN : current.usage(diskBytes));
  }

  /** The limits not enforced for this sandbox: the machine's, and its disk's if it has none. */
  private Map<String, String> unenforced() {
    var unenforced = shared.unenforced();
    if (shared.disks() == null
        || metadata.limits().diskBytes() == null
        || folder.diskId() != null) {
      return unenforced;
    }
    var more = new TreeMap<>(unenforced);
    more.put(
        Resources.DISK,
        "made before disk limits existed: its files are on the host's disk; a sandbox created"
            + " now gets a disk of its own");
    return Map.copyOf(more);
  }

  private SandboxInfo info(@Nullable ResourceUsage usage) {
    return new SandboxInfo(
        id(),
        "local",
        phase,
        "Running".equals(phase),
        metadata.createdAt(),
        folder.lastExec(),
        null,
        launchType,
        metadata.limits(),
        unenforced(),
        usage);
  }

  /** Starts the sandbox's first process unless it runs already. */
  synchronized SandboxInit start() throws IOException {
    if (deleted) {
      throw new IOException("sandbox " + id() + " was deleted");
    }
    if (init != null && init.alive()) {
      return init;
    }
    if (shared.uids() != null && metadata.user() == null) {
      // bwrap started by root with no user to switch to would map the sandbox to host root.
      throw new IOException("sandbox " + id() + " has no host uid of its own to run as");
    }
    phase = "Pending";
    try {
      if (watchKey == null) {
        watchKey = shared.watcher().watch(folder.execs(), this);
      }
      if (cgroup == null) {
        cgroup = shared.cgroups().create(id(), metadata.limits());
      }
      init = SandboxInit.start(shared, folder, metadata, metadata.user(), cgroup, this::initExited);
    } catch (IOException e) {
      phase = "Failed";
      throw e;
    }
    phase = "Running";
    if (needsEgress()) {
      egress.ensure(init);
    }
    return init;
  }

  /** Runs a command, first starting the sandbox again if its init has stopped. */
  void exec(ExecSpec spec, ExecListener listener) throws IOException {
    var current = start();
    if (needsEgress()) {
      egress.await(current);
    }
    current.exec(spec, listener);
    folder.touchLastExec(Instant.now());
  }

  /** Starts a command on a terminal, first starting the sandbox again if its init has stopped. */
  Terminal execTerminal(ExecSpec spec, ExecListener listener) throws IOException {
    var current = start();
    if (needsEgress()) {
      egress.await(current);
    }
    var terminal = current.execTerminal(spec, listener);
    folder.touchLastExec(Instant.now());
    return terminal;
  }

  /** Runs a helper with piped stdin and stdout, first starting the sandbox again if needed. */
  HelperOutcome pipe(ExecSpec spec, @Nullable InputStream in, OutputStream out) throws IOException {
    if (!shared.command().init().isNative()) {
      throw new UnsupportedOperationException(
          "file transfers need the native sbx-init, which is built when a C compiler (cc) is"
              + " installed; this control plane runs the script");
    }
    var current = start();
    // A transfer is use of the sandbox, as an exec is.
    folder.touchLastExec(Instant.now());
    try {
      return current.pipe(spec, in, out);
    } finally {
      folder.touchLastExec(Instant.now());
    }
  }

  /** Whether its init runs and it was not deleted: what a spare must be to be taken. */
  boolean running() {
    var current = init;
    return !deleted && current != null && current.alive();
  }

  /**
   * Becomes the sandbox of a create that took it from the warm pool: created now (its metadata,
   * already saved, says so), with the create's egress policy.
   */
  void claimed(SandboxMetadata claimed) {
    launchType = LaunchType.WARM;
    egressChanged(claimed);
  }

  EgressPolicy egressPolicy() {
    return metadata.egress();
  }

  /**
   * Takes a new policy (already saved); the proxy applies it from the next connection on. A sandbox
   * that now may reach something gets its forwarder.
   */
  void egressChanged(SandboxMetadata changed) {
    metadata = changed;
    var current = currentInit();
    if (needsEgress() && current != null && current.alive()) {
      egress.ensure(current);
    }
  }

  /** The proxy is up: sandboxes that may reach something get their way to it. */
  void useEgress(EgressChannels channels) {
    egress.use(channels);
    var current = currentInit();
    if (needsEgress() && current != null && current.alive()) {
      egress.ensure(current);
    }
  }

  SandboxMetadata metadata() {
    return metadata;
  }

  private boolean needsEgress() {
    return metadata.egress().hasNetwork() && !shared.command().hostNetwork();
  }

  /** Ends one exec's processes, if the sandbox runs. */
  void terminate(String execId, Duration grace) {
    var current = currentInit();
    if (current != null) {
      current.terminate(execId, grace);
    }
  }

  void pump(String fileName) {
    var current = currentInit();
    if (current != null) {
      current.pump(fileName);
    }
  }

  void pumpAll() {
    var current = currentInit();
    if (current != null) {
      current.pumpAll();
    }
  }

  /** Kills every process of the sandbox and removes its folder. */
  void delete() throws IOException {
    stop(ExecOutcome.SANDBOX_DELETED);
    egress.close();
    synchronized (this) {
      deleted = true;
      if (watchKey != null) {
        shared.watcher().unwatch(watchKey);
      }
    }
    releaseCgroup();
    var disk = folder.diskId();
    if (disk != null && shared.disks() != null) {
      shared.disks().delete(disk);
    }
    folder.deleteTree();
  }

  /** Unmounts the sandbox's disk once its processes are gone; its files stay in the image. */
  void unmountDisk() {
    var disk = folder.diskId();
    if (disk != null && shared.disks() != null) {
      shared.disks().unmount(disk);
    }
  }

  /** Removes the sandbox's cgroup once its processes are gone; the next start makes it again. */
  synchronized void releaseCgroup() {
    if (cgroup != null) {
      cgroup.remove();
      cgroup = null;
    }
  }

  /** Kills every process of the sandbox, keeping its files; the next exec starts it again. */
  void stop(String reason) {
    SandboxInit current;
    synchronized (this) {
      current = init;
      phase = "Stopped";
    }
    if (current != null) {
      current.kill(reason);
    }
  }

  // Not synchronized: it runs on the init's reader thread, which start() may be waiting for.
  private void initExited(SandboxInit which) {
    if (which == init) {
      phase = "Stopped";
    }
  }

  private SandboxInit currentInit() {
    return init;
  }
}
