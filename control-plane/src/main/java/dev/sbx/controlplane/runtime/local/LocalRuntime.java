package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.runtime.EgressChannels;
import dev.sbx.controlplane.runtime.EgressPolicy;
import dev.sbx.controlplane.runtime.ExecListener;
import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.runtime.InterruptedExec;
import dev.sbx.controlplane.runtime.NetworkMode;
import dev.sbx.controlplane.runtime.Resources;
import dev.sbx.controlplane.runtime.RuntimeUnavailableException;
import dev.sbx.controlplane.runtime.SandboxExistsException;
import dev.sbx.controlplane.runtime.SandboxInfo;
import dev.sbx.controlplane.runtime.SandboxNotFoundException;
import dev.sbx.controlplane.runtime.SandboxRuntime;
import dev.sbx.controlplane.runtime.SandboxSpec;
import dev.sbx.controlplane.runtime.UnsupportedOptionException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs sandboxes on this machine with bubblewrap: one folder and one long-lived init process per
 * sandbox. Sandboxes found in the state folder at start-up are started again; their files are kept,
 * the processes they had are gone.
 */
public final class LocalRuntime implements SandboxRuntime, AutoCloseable {

  private static final Logger logger = LoggerFactory.getLogger(LocalRuntime.class);
  private static final int MAX_REQUEST_BYTES = 64 * 1024;

  private final StateFolder state;
  private final SandboxFiles files;
  private final LocalSandboxContext shared;
  private final Resources configured;
  private final Map<String, LocalSandbox> sandboxes = new ConcurrentSkipListMap<>();
  private final List<InterruptedExec> interrupted = new ArrayList<>();
  private final List<ReadyListener> readyListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile @Nullable EgressChannels egress;
  private volatile @Nullable SpareSandboxes spares;
  private volatile Map<String, String> defaultEnv = Map.of();

  LocalRuntime(
      StateFolder state, SandboxFiles files, LocalSandboxContext shared, Resources configured) {
    this.configured = configured;
    this.state = state;
    this.files = files;
    this.shared = shared;
  }

  /** Starts again every sandbox found in the state folder. */
  void recover() {
    var disks = new java.util.HashSet<String>();
    for (var found : files.findAll(state)) {
      var folder = state.sandbox(found.id());
      if (folder.isSpare()) {
        // A spare of the last run no create took: nobody knows it, its disk and cgroup go below.
        deleteQuietly(folder);
        continue;
      }
      if (!mountDisk(folder, found.id(), disks)) {
        continue;
      }
      var metadata = ownUser(folder, found.withLimitsOr(configured));
      if (metadata != found) {
        saveQuietly(metadata); // made before limits or uids: it keeps the ones it gets now
      }
      for (var request : folder.leftoverRequests()) {
        if (!request.getFileName().toString().startsWith(EgressLink.EXEC_ID + ".")) {
          interrupted.add(interruptedExec(metadata.id(), request));
        }
      }
      var sandbox = new LocalSandbox(metadata, folder, shared);
      sandboxes.put(metadata.id(), sandbox);
      try {
        files.refreshInit(folder);
        sandbox.start();
        logger.info("found sandbox {} in {}; started it again", metadata.id(), state.root());
      } catch (IOException e) {
        logger.warn("found sandbox {} but could not start it: {}", metadata.id(), e.getMessage());
      }
    }
    shared.cgroups().removeAllBut(sandboxes.keySet());
    if (shared.disks() != null) {
      shared.disks().removeAllBut(disks);
      if (configured.diskBytes() != null) {
        shared.disks().keepSpares(configured.diskBytes());
      }
    }
  }

  /**
   * Makes a found sandbox's files reachable again: its disk mounted, or, in a sandbox made before
   * disks existed, its folders moved to where they are now. False when they cannot be: the sandbox
   * is left alone (and kept on disk) rather than started without them.
   */
  private boolean mountDisk(SandboxFolder folder, String id, java.util.Set<String> disks) {
    try {
      if (folder.moveOldLayout()) {
        logger.info("sandbox {}: moved its files to {}", id, folder.data());
      }
      var disk = folder.diskId();
      if (disk != null) {
        disks.add(disk);
        if (shared.disks() == null) {
          throw new IOException("its files are on a disk this control plane cannot mount");
        }
        shared.disks().mount(disk);
      }
      folder.createLayout();
      return true;
    } catch (IOException e) {
      logger.error("found sandbox {} but cannot reach its files: {}", id, e.getMessage());
      return false;
    }
  }

  @Override
  public String name() {
    return "local";
  }

  @Override
  public SandboxInfo create(SandboxSpec spec) {
    if (spec.image() != null) {
      throw new UnsupportedOptionException(
          "image", name(), "local sandboxes see this machine's /usr, read-only");
    }
    if (spec.command() != null) {
      throw new UnsupportedOptionException(
          "command", name(), "local sandboxes have no main command; use exec");
    }
    var spare = spares != null && warmable(spec) ? spares.take() : null;
    if (spare != null) {
      return claim(spare, spec);
    }
    var sandbox = start(spec, false);
    sandboxes.put(spec.id(), sandbox);
    var sinceCreate = Duration.between(sandbox.metadata().createdAt(), Instant.now());
    readyListeners.forEach(listener -> listener.ready(spec.id(), sinceCreate));
    return sandbox.info();
  }

  /**
   * Keeps {@code size} sandboxes started ahead from the defaults (the configured env and limits, no
   * network), which creates that name no id and ask for nothing else take. Their network policy is
   * the create's, applied when taken.
   */
  void keepSpares(int size, Map<String, String> defaultEnv) {
    if (size <= 0) {
      return;
    }
    this.defaultEnv = Map.copyOf(defaultEnv);
    spares = new SpareSandboxes(size, this::startSpare, this::discard);
    spares.start();
    logger.info("warm pool: {} local sandboxes started ahead", size);
  }

  @Override
  public PoolStatus pool() {
    var current = spares;
    return current == null ? PoolStatus.NONE : new PoolStatus(current.size(), current.ready(), 0);
  }

  /** Spares ready to be taken now. */
  int sparesReady() {
    return spares == null ? 0 : spares.ready();
  }

  private boolean warmable(SandboxSpec spec) {
    return !spec.named() && spec.env().equals(defaultEnv) && spec.resources().equals(configured);
  }

  private LocalSandbox startSpare() {
    var id =
        "sbx-"
            + java.util.HexFormat.of()
                .toHexDigits(java.util.concurrent.ThreadLocalRandom.current().nextLong())
                .substring(4);
    return start(
        new SandboxSpec(
            id,
            defaultEnv,
            null,
            null,
            List.of(),
            List.of(),
            SandboxSpec.Storage.DEFAULT,
            false,
            NetworkMode.NONE,
            configured),
        true);
  }

  /** A spare becomes the create's sandbox: created now, with the create's network policy. */
  private SandboxInfo claim(LocalSandbox spare, SandboxSpec spec) {
    var id = spare.id();
    var folder = state.sandbox(id);
    var claimed =
        spare
            .metadata()
            .createdAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
            .with(spec.egress());
    try {
      files.save(folder, claimed);
      folder.unmarkSpare();
    } catch (IOException e) {
      discard(spare);
      throw new RuntimeUnavailableException("could not take a warm sandbox: " + e, e);
    }
    var channels = egress;
    if (channels != null) {
      spare.useEgress(channels); // it may have been made before the proxy started
    }
    spare.claimed(claimed);
    warnIfHostNetwork(id);
    sandboxes.put(id, spare);
    return spare.info();
  }

  /** Stops and removes a spare no create took. */
  private void discard(LocalSandbox spare) {
    try {
      spare.delete();
    } catch (IOException e) {
      logger.warn("could not remove spare sandbox {}: {}", spare.id(), e.toString());
    }
    var user = spare.metadata().user();
    if (user != null && shared.uids() != null) {
      shared.uids().release(user, spare.id());
    }
  }

  /** Makes a sandbox's folder, host user, disk and cgroup, and starts its init. */
  private LocalSandbox start(SandboxSpec spec, boolean spare) {
    var folder = state.sandbox(spec.id());
    try {
      Files.createDirectory(folder.root());
      if (spare) {
        folder.markSpare();
      }
    } catch (FileAlreadyExistsException e) {
      throw new SandboxExistsException(spec.id());
    } catch (IOException e) {
      throw new RuntimeUnavailableException("cannot create " + folder.root() + ": " + e, e);
    }
    HostUser user;
    try {
      user = shared.uids() == null ? null : shared.uids().allocate(spec.id());
    } catch (IOException e) {
      deleteQuietly(folder);
      throw new RuntimeUnavailableException(
          "cannot create " + spec.id() + ": " + e.getMessage(), e);
    }
    var metadata =
        new SandboxMetadata(
            spec.id(),
            Instant.now().truncatedTo(ChronoUnit.MILLIS),
            spec.env(),
            spec.allowedHosts(),
            spec.disallowedHosts(),
            spec.network().value(),
            spec.resources(),
            user == null ? null : user.uid());
    var sandbox = new LocalSandbox(metadata, folder, shared);
    if (egress != null) {
      sandbox.useEgress(egress);
    }
    if (!spare) {
      warnIfHostNetwork(spec.id());
    }
    try {
      var limit = spec.resources().diskBytes();
      if (limit != null && shared.disks() != null) {
        folder.linkDisk(shared.disks().take(limit, SandboxFolder.DATA_FOLDERS, user));
      }
      files.prepare(folder, metadata);
      sandbox.start();
    } catch (IOException | RuntimeException e) {
      sandbox.stop(ExecOutcome.SANDBOX_STOPPED);
      sandbox.releaseCgroup();
      var disk = folder.diskId();
      if (disk != null) {
        shared.disks().delete(disk);
      }
      deleteQuietly(folder);
      if (user != null) {
        shared.uids().release(user, spec.id());
      }
      throw new RuntimeUnavailableException(
          "could not start sandbox " + spec.id() + ": " + e.getMessage(), e);
    }
    return sandbox;
  }

  @Override
  public Optional<EgressPolicy> egressPolicy(String id) {
    return Optional.ofNullable(sandboxes.get(id)).map(LocalSandbox::egressPolicy);
  }

  @Override
  public EgressPolicy updateEgressPolicy(String id, EgressPolicy policy) {
    var sandbox = sandboxes.get(id);
    if (sandbox == null) {
      throw new SandboxNotFoundException(id);
    }
    synchronized (sandbox) {
      var changed = sandbox.metadata().with(policy);
      try {
        files.save(state.sandbox(id), changed);
      } catch (IOException e) {
        throw new RuntimeUnavailableException(
            "cannot save sandbox " + id + "'s policy: " + e.getMessage(), e);
      }
      sandbox.egressChanged(changed);
    }
    warnIfHostNetwork(id);
    return policy;
  }

  @Override
  public void useEgress(EgressChannels channels) {
    egress = channels;
    sandboxes.values().forEach(sandbox -> sandbox.useEgress(channels));
  }

  @Override
  public Map<String, String> unenforcedLimits() {
    return shared.unenforced();
  }

  @Override
  public void onProtocolViolation(java.util.function.Consumer<String> listener) {
    shared.violations().listen(listener);
  }

  @Override
  public void onReady(ReadyListener listener) {
    readyListeners.add(listener);
  }

  @Override
  public @Nullable String unavailableBecause() {
    if (!Files.isExecutable(Path.of(shared.command().bwrap()))) {
      return shared.command().bwrap() + " is gone: " + Bubblewrap.INSTALL_HINT;
    }
    try {
      Files.delete(Files.createTempFile(state.root(), ".probe", ""));
      return null;
    } catch (IOException e) {
      return "cannot write to " + state.root() + ": " + e.getMessage();
    }
  }

  /** The escape hatch shares this machine's network, unfiltered: say so every time it is used. */
  private void warnIfHostNetwork(String id) {
    if (shared.command().hostNetwork()) {
      logger.warn(
          "sandbox {} shares this machine's network (SANDBOX_LOCAL_NETWORK=host): its network"
              + " policy is not enforced and it reaches this machine's own services",
          id);
    }
  }

  @Override
  public Optional<SandboxInfo> find(String id) {
    return Optional.ofNullable(sandboxes.get(id)).map(LocalSandbox::infoWithUsage);
  }

  @Override
  public boolean exists(String id) {
    return sandboxes.containsKey(id);
  }

  @Override
  public List<SandboxInfo> list() {
    return sandboxes.values().stream()
        .map(LocalSandbox::info)
        .sorted(Comparator.comparing(SandboxInfo::id))
        .toList();
  }

  @Override
  public boolean delete(String id) {
    var sandbox = sandboxes.remove(id);
    if (sandbox == null) {
      return false;
    }
    try {
      sandbox.delete();
    } catch (IOException e) {
      throw new RuntimeUnavailableException(
          "sandbox " + id + " was stopped but its folder could not be removed: " + e, e);
    }
    var user = sandbox.metadata().user();
    if (user != null && shared.uids() != null) {
      shared.uids().release(user, id);
    }
    return true;
  }

  @Override
  public void exec(String sandboxId, ExecSpec spec, ExecListener listener) {
    var sandbox = sandboxes.get(sandboxId);
    if (sandbox == null) {
      throw new SandboxNotFoundException(sandboxId);
    }
    try {
      sandbox.exec(spec, listener);
    } catch (IOException e) {
      throw new RuntimeUnavailableException(
          "could not run the command in sandbox " + sandboxId + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void terminate(String sandboxId, String execId, Duration grace) {
    var sandbox = sandboxes.get(sandboxId);
    if (sandbox != null) {
      sandbox.terminate(execId, grace);
    }
  }

  @Override
  public List<InterruptedExec> interruptedExecs() {
    return List.copyOf(interrupted);
  }

  private static InterruptedExec interruptedExec(String sandboxId, Path request) {
    var name = request.getFileName().toString();
    var execId = name.substring(0, name.length() - ".req".length());
    // The sandbox could write this file: read it without following a link, and only so much.
    try (var in = Files.newInputStream(request, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return new InterruptedExec(
          sandboxId,
          execId,
          ExecRequestFile.command(in.readNBytes(MAX_REQUEST_BYTES)),
          Files.getLastModifiedTime(request).toInstant());
    } catch (IOException e) {
      return new InterruptedExec(sandboxId, execId, List.of(), Instant.EPOCH);
    }
  }

  /** Stops every sandbox's processes (their files stay) and releases the state folder. */
  @Override
  public void close() throws IOException {
    if (spares != null) {
      spares.close();
    }
    sandboxes.values().forEach(s -> s.stop(ExecOutcome.CONTROL_PLANE_STOPPED));
    sandboxes.values().forEach(LocalSandbox::releaseCgroup);
    sandboxes.values().forEach(LocalSandbox::unmountDisk);
    if (shared.disks() != null) {
      shared.disks().close();
    }
    shared.cgroups().removeBases();
    shared.watcher().close();
    shared.launcher().close();
    state.close();
  }

  /**
   * A found sandbox's own host uid, claimed again; or a new one, with its files handed over to it,
   * when it had none (made when sandboxes shared one) or another control plane's took it.
   */
  private SandboxMetadata ownUser(SandboxFolder folder, SandboxMetadata metadata) {
    var uids = shared.uids();
    if (uids == null) {
      return metadata;
    }
    try {
      var user = metadata.user();
      if (user != null && uids.range().contains(user.uid()) && uids.reclaim(user, metadata.id())) {
        return metadata;
      }
      var own = uids.allocate(metadata.id());
      SandboxFiles.handOverAll(folder, own);
      logger.info("sandbox {} runs as host uid {} from now on", metadata.id(), own.uid());
      return metadata.runningAs(own);
    } catch (IOException e) {
      logger.warn(
          "sandbox {}: cannot give it a host uid of its own: {}", metadata.id(), e.toString());
      return metadata;
    }
  }

  private void saveQuietly(SandboxMetadata metadata) {
    try {
      files.save(state.sandbox(metadata.id()), metadata);
    } catch (IOException e) {
      logger.warn("could not record the limits of sandbox {}: {}", metadata.id(), e.toString());
    }
  }

  private static void deleteQuietly(@Nullable SandboxFolder folder) {
    try {
      if (folder != null) {
        folder.deleteTree();
      }
    } catch (IOException e) {
      logger.warn("could not remove {} after a failed create: {}", folder.root(), e.toString());
    }
  }
}
