package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.runtime.EgressChannels;
import dev.sbx.controlplane.runtime.EgressPolicy;
import dev.sbx.controlplane.runtime.ExecListener;
import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.runtime.HelperOutcome;
import dev.sbx.controlplane.runtime.InterruptedExec;
import dev.sbx.controlplane.runtime.Resources;
import dev.sbx.controlplane.runtime.RuntimeUnavailableException;
import dev.sbx.controlplane.runtime.SandboxInfo;
import dev.sbx.controlplane.runtime.SandboxNotFoundException;
import dev.sbx.controlplane.runtime.SandboxRuntime;
import dev.sbx.controlplane.runtime.SandboxSpec;
import dev.sbx.controlplane.runtime.Terminal;
import dev.sbx.controlplane.runtime.TerminalsUnavailableException;
import dev.sbx.controlplane.runtime.UnsupportedOptionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
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

  /** How the ids of helpers start: they are no execs, and no exec id is made like them. */
  private static final String HELPER_PREFIX = "helper-";

  private final StateFolder state;
  private final SandboxFiles files;
  private final LocalSandboxContext shared;
  private final Resources configured;
  private final SandboxMaker maker;
  private final LocalWarmPool pool;
  private final Map<String, LocalSandbox> sandboxes = new ConcurrentSkipListMap<>();
  private final List<InterruptedExec> interrupted = new ArrayList<>();
  private final List<ReadyListener> readyListeners = new CopyOnWriteArrayList<>();
  private volatile @Nullable EgressChannels egress;

  LocalRuntime(
      StateFolder state, SandboxFiles files, LocalSandboxContext shared, Resources configured) {
    this.configured = configured;
    this.state = state;
    this.files = files;
    this.shared = shared;
    this.maker = new SandboxMaker(state, files, shared);
    this.pool = new LocalWarmPool(state, files, shared, configured, maker);
  }

  /** Starts again every sandbox found in the state folder. */
  void recover() {
    new FoundSandboxes(state, files, shared, configured).start(sandboxes, interrupted);
  }

  @Override
  public String name() {
    return "local";
  }

  /** In the state folder, beside the sandboxes: their execs' output survives a restart too. */
  @Override
  public Path outputStoreDir() {
    return state.root().resolve(".output");
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
    var spare = pool.claim(spec, egress);
    if (spare != null) {
      warnIfHostNetwork(spare.id());
      sandboxes.put(spare.id(), spare);
      return spare.info();
    }
    var sandbox = maker.start(spec, false, egress);
    warnIfHostNetwork(spec.id());
    sandboxes.put(spec.id(), sandbox);
    var sinceCreate = Duration.between(sandbox.metadata().createdAt(), Instant.now());
    readyListeners.forEach(listener -> listener.ready(spec.id(), sinceCreate));
    return sandbox.info();
  }

  /** See {@link LocalWarmPool#keep}. */
  void keepSpares(int size, Map<String, String> defaultEnv) {
    pool.keep(size, defaultEnv);
  }

  @Override
  public PoolStatus pool() {
    return pool.status();
  }

  /** Spares ready to be taken now. */
  int sparesReady() {
    return pool.ready();
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
  public void onProtocolViolation(Consumer<String> listener) {
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
  public Terminal execTerminal(String sandboxId, ExecSpec spec, ExecListener listener) {
    var why = terminalsUnavailableBecause();
    if (why != null) {
      throw new TerminalsUnavailableException(name(), why);
    }
    var sandbox = sandboxes.get(sandboxId);
    if (sandbox == null) {
      throw new SandboxNotFoundException(sandboxId);
    }
    try {
      return sandbox.execTerminal(spec, listener);
    } catch (IOException e) {
      throw new RuntimeUnavailableException(
          "could not run the command in sandbox " + sandboxId + ": " + e.getMessage(), e);
    }
  }

  @Override
  public @Nullable String terminalsUnavailableBecause() {
    return shared.command().init().isNative()
        ? null
        : "terminals need the native sbx-init, which is built when a C compiler (cc) is installed;"
            + " this control plane runs the script";
  }

  @Override
  public HelperOutcome pipe(
      String sandboxId, List<String> command, @Nullable InputStream in, OutputStream out)
      throws IOException {
    var sandbox = sandboxes.get(sandboxId);
    if (sandbox == null) {
      throw new SandboxNotFoundException(sandboxId);
    }
    var spec =
        new ExecSpec(
            HELPER_PREFIX + UUID.randomUUID().toString().replace("-", ""),
            command,
            Map.of(),
            "/",
            null);
    return sandbox.pipe(spec, in, out);
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

  /** Stops every sandbox's processes (their files stay) and releases the state folder. */
  @Override
  public void close() throws IOException {
    pool.close();
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

  static void deleteQuietly(@Nullable SandboxFolder folder) {
    try {
      if (folder != null) {
        folder.deleteTree();
      }
    } catch (IOException e) {
      logger.warn("could not remove {} after a failed create: {}", folder.root(), e.toString());
    }
  }
}
