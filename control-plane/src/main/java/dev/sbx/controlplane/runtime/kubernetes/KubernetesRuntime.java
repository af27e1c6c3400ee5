package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.runtime.EgressPolicy;
import dev.sbx.controlplane.runtime.ExecListener;
import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.runtime.HelperOutcome;
import dev.sbx.controlplane.runtime.InterruptedExec;
import dev.sbx.controlplane.runtime.Resources;
import dev.sbx.controlplane.runtime.SandboxIdSource;
import dev.sbx.controlplane.runtime.SandboxInfo;
import dev.sbx.controlplane.runtime.SandboxNotFoundException;
import dev.sbx.controlplane.runtime.SandboxRuntime;
import dev.sbx.controlplane.runtime.SandboxSpec;
import dev.sbx.controlplane.runtime.Terminal;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * Runs sandboxes as Kubernetes pods: one namespace {@code sbx-...} per sandbox, named by its id,
 * holding the pod {@code sandbox}. The cluster is the source of truth; this process keeps a watched
 * cache of it. The jobs are its parts': {@link PodExecs} runs commands, {@link WarmPool} keeps
 * sandboxes ready, {@link IdleReaper} deletes unused ones, {@link Leadership} picks the replica
 * that runs those two.
 */
public final class KubernetesRuntime implements SandboxRuntime, SmartLifecycle, AutoCloseable {

  static final String NAME = "kubernetes";
  // Before the interrupted-exec recovery and the web server; stopped after them.
  private static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 8192;

  private final SandboxTemplates templates;
  private final SandboxObjects objects;
  private final SandboxInformers informers;
  private final SandboxLookup lookup;
  private final LastExecTimes lastExec;
  private final PoolSettings settings;
  private final WarmPool pool;
  private final IdleReaper reaper;
  private final Leadership leadership;
  private final PodExecs execs;
  private final EgressPolicies policies;
  private final CreateToReady createToReady;
  private volatile boolean leading;
  private volatile boolean running;
  private final SidecarSettings sidecar;
  private final ProxySettings proxy;
  private final ExecutorService readers = Schedulers.daemonThreads("sbx-pod-exec");
  private final PodPipes pipes;

  KubernetesRuntime(
      KubernetesClient client,
      SandboxTemplates templates,
      Duration readyTimeout,
      PoolSettings settings,
      SidecarSettings sidecar,
      ProxySettings proxy,
      SandboxIdSource ids,
      Clock clock,
      Leadership.Timings lease) {
    this.templates = templates;
    this.settings = settings;
    this.sidecar = sidecar;
    this.proxy = proxy;
    this.objects = new SandboxObjects(client, sidecar, proxy);
    this.informers = new SandboxInformers(client);
    this.lastExec = new LastExecTimes(client);
    this.pool =
        new WarmPool(client, informers, objects, templates.defaults(), settings, ids, clock);
    var usage = new PodUsage(client, readers, clock);
    this.lookup = new SandboxLookup(client, informers, pool, lastExec, usage);
    this.execs = new PodExecs(client, informers, lookup, readyTimeout, lastExec, sidecar, readers);
    this.reaper = new IdleReaper(informers, pool, lastExec, settings.idleTtl(), clock, execs::busy);
    this.leadership = new Leadership(client, settings.controlNamespace(), lease, this::lead);
    this.policies = new EgressPolicies(client, lookup, proxy.defaults());
    this.createToReady = new CreateToReady(clock, settings.createReadyTimeout());
    this.pipes = new PodPipes(client, readers);
    informers.onPod(createToReady::podChanged);
  }

  /** Starts the background work: the pool, the reaper and the election that picks who runs them. */
  @Override
  public void start() {
    running = true;
    lastExec.keepAlive(
        () ->
            informers.namespaces().stream()
                .map(namespace -> namespace.getMetadata().getName())
                .filter(execs::busy)
                .toList());
    if (settings.poolEnabled()) {
      pool.start();
    }
    reaper.start(() -> leading, this::delete);
    if (settings.poolEnabled() || settings.reaping()) {
      leadership.start();
    }
  }

  private void lead(boolean leading) {
    this.leading = leading;
    pool.lead(leading);
  }

  boolean leading() {
    return leading;
  }

  @Override
  public boolean streamsThroughSidecar() {
    return sidecar.enabled();
  }

  @Override
  public @Nullable String ingestTokenSha256(String sandboxId) {
    return lookup.ingestTokenSha256(sandboxId);
  }

  @Override
  public void execActivity(String sandboxId, String execId, boolean ended) {
    execs.activity(sandboxId, execId, ended);
  }

  @Override
  public void onReaped(Consumer<String> listener) {
    reaper.onReaped(listener);
  }

  @Override
  public PoolStatus pool() {
    return settings.poolEnabled() ? pool.status() : PoolStatus.NONE;
  }

  /** One reaper pass, whoever leads; the schedule runs it on the leader only. */
  List<String> reapIdle() {
    return reaper.reap(this::delete);
  }

  /** Runs a warm pool pass now; tests call it instead of waiting. */
  void reconcilePool() {
    pool.reconcileNow();
  }

  @Override
  public void onReady(ReadyListener listener) {
    createToReady.listen(listener);
  }

  @Override
  public @Nullable String unavailableBecause() {
    return lookup.unavailableBecause();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SandboxInfo create(SandboxSpec spec) {
    var template = templates.resolve(spec);
    if (settings.poolEnabled() && templates.warmable(spec)) {
      var claimed = pool.claim();
      if (claimed.isPresent()) {
        var id = claimed.get().getMetadata().getNamespace();
        pool.created(id);
        policies.claimed(id, spec.egress(), this::delete);
        var namespace = informers.namespace(id).orElseThrow();
        return lookup.info(namespace, claimed.get(), null);
      }
    }
    var id = spec.id();
    createToReady.created(id);
    SandboxObjects.Created created;
    try {
      created = objects.create(id, template, Labels.COLD);
    } catch (RuntimeException e) {
      createToReady.forget(id);
      throw e;
    }
    pool.created(id);
    return lookup.info(created.namespace(), created.pod(), null);
  }

  @Override
  public Optional<EgressPolicy> egressPolicy(String id) {
    return policies.of(id);
  }

  @Override
  public EgressPolicy updateEgressPolicy(String id, EgressPolicy policy) {
    return policies.update(id, policy);
  }

  @Override
  public Optional<String> sandboxAt(InetAddress source) {
    return lookup.at(source);
  }

  @Override
  public boolean identifiesByAddress() {
    return true;
  }

  @Override
  public int egressProxyPort() {
    return proxy.listen() ? proxy.proxyPort() : 0;
  }

  @Override
  public Optional<SandboxInfo> find(String id) {
    return lookup.find(id);
  }

  @Override
  public boolean exists(String id) {
    return lookup.namespace(id).isPresent(); // the informers' cache: no metrics request per exec
  }

  @Override
  public List<SandboxInfo> list() {
    return lookup.list();
  }

  @Override
  public boolean delete(String id) {
    if (lookup.namespace(id).isEmpty()) {
      // A second delete while the first one's namespace terminates: it is being deleted already.
      return lookup.terminating(id);
    }
    execs.abandonAll(id);
    lastExec.forget(id);
    createToReady.forget(id);
    policies.forget(id);
    return objects.deleteNamespace(id);
  }

  @Override
  public void exec(String sandboxId, ExecSpec spec, ExecListener listener) {
    if (lookup.namespace(sandboxId).isEmpty()) {
      throw new SandboxNotFoundException(sandboxId);
    }
    execs.start(sandboxId, spec, listener);
  }

  @Override
  public Terminal execTerminal(String sandboxId, ExecSpec spec, ExecListener listener) {
    if (lookup.namespace(sandboxId).isEmpty()) {
      throw new SandboxNotFoundException(sandboxId);
    }
    return execs.startTerminal(sandboxId, spec, listener);
  }

  @Override
  public @Nullable String terminalsUnavailableBecause() {
    return null; // pod exec with tty=true, as kubectl exec -it
  }

  @Override
  public HelperOutcome pipe(
      String sandboxId, List<String> command, @Nullable InputStream in, OutputStream out)
      throws IOException {
    if (lookup.namespace(sandboxId).isEmpty()) {
      throw new SandboxNotFoundException(sandboxId);
    }
    // A transfer is use of the sandbox, as an exec is: the idle reaper leaves it alone.
    lastExec.record(sandboxId, Instant.now());
    try {
      return pipes.pipe(sandboxId, command, in, out);
    } finally {
      lastExec.record(sandboxId, Instant.now());
    }
  }

  @Override
  public void terminate(String sandboxId, String execId, Duration grace) {
    execs.terminate(sandboxId, execId, grace);
  }

  /** The execs that ran in ready sandboxes while no control plane watched them; once, at start. */
  @Override
  public List<InterruptedExec> interruptedExecs() {
    return execs.interrupted(
        list().stream().filter(SandboxInfo::ready).map(SandboxInfo::id).toList());
  }

  /** The execs whose markers are in these ready sandboxes: a gone replica's, on takeover. */
  @Override
  public List<InterruptedExec> orphanedExecs(Collection<String> sandboxIds) {
    var wanted = Set.copyOf(sandboxIds);
    return execs.interrupted(
        list().stream()
            .filter(SandboxInfo::ready)
            .map(SandboxInfo::id)
            .filter(wanted::contains)
            .toList());
  }

  /** Stops the background work, giving up the lease so that another replica takes over. */
  @Override
  public void stop() {
    running = false;
    leadership.close();
    reaper.close();
    pool.close();
  }

  // isRunning and getPhase repeat InterruptedExecsRecovery's: SmartLifecycle's one-line answers.
  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  @Override
  public void close() {
    stop();
    lastExec.close();
    informers.close();
    execs.close();
    readers.shutdownNow();
  }

  @Override
  public Map<String, String> unenforcedLimits() {
    return templates.defaults().resources().pids() == null
        ? Map.of()
        : Map.of(Resources.PIDS, SandboxLimits.PIDS_UNENFORCED);
  }
}
