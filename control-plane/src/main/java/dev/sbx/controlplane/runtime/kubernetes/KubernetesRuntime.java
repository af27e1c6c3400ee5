package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.problem.InvalidRequestException;
import dev.sbx.controlplane.runtime.EgressPolicy;
import dev.sbx.controlplane.runtime.ExecListener;
import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.runtime.InterruptedExec;
import dev.sbx.controlplane.runtime.LaunchType;
import dev.sbx.controlplane.runtime.OutputStreamKind;
import dev.sbx.controlplane.runtime.ResourceUsage;
import dev.sbx.controlplane.runtime.Resources;
import dev.sbx.controlplane.runtime.RuntimeUnavailableException;
import dev.sbx.controlplane.runtime.SandboxInfo;
import dev.sbx.controlplane.runtime.SandboxNotFoundException;
import dev.sbx.controlplane.runtime.SandboxNotReadyException;
import dev.sbx.controlplane.runtime.SandboxRuntime;
import dev.sbx.controlplane.runtime.SandboxSpec;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs sandboxes as Kubernetes pods: one namespace {@code sbx-...} per sandbox, named by its id,
 * holding the pod {@code sandbox}. The cluster is the source of truth; this process keeps a watched
 * cache of it.
 */
public final class KubernetesRuntime implements SandboxRuntime, AutoCloseable {

  private static final Logger logger = LoggerFactory.getLogger(KubernetesRuntime.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final int KILL_ROUNDS = 10;
  private static final int SCRIPT_OUTPUT_MAX = 1 << 20;
  // The longest the KILL rounds of one terminate may take, however the API server answers.
  private static final Duration KILL_PHASE = Duration.ofSeconds(15);

  private final KubernetesClient client;
  private final SandboxTemplates templates;
  private final SandboxObjects objects;
  private final SandboxInformers informers;
  private final java.time.Clock clock;
  private final ContainerOomCheck oomCheck;
  private final LastExecTimes lastExec;
  private final Duration readyTimeout;
  private final PoolSettings settings;
  private final WarmPool pool;
  private final IdleReaper reaper;
  private final Leadership leadership;
  private final PodUsage usage;
  private final java.util.concurrent.ScheduledExecutorService reaping =
      WarmPool.daemonScheduler("sbx-reaper");
  private volatile boolean leading;
  private final boolean ownsClient;
  private final SidecarSettings sidecar;
  private final ProxySettings proxy;
  // Policies this replica just wrote, until its namespace cache shows them (a PATCH applies to the
  // next connection, not to the one after the watch catches up).
  private final Map<String, PolicyWritten> policiesWritten = new ConcurrentHashMap<>();
  // Execs started apart from a pod exec (sidecar mode), until their end arrives through ingest.
  private final Map<String, java.util.Set<String>> detached = new ConcurrentHashMap<>();
  private final ExecutorService readers =
      Executors.newCachedThreadPool(
          r -> {
            var t = new Thread(r, "sbx-pod-exec");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, Map<String, PodExec>> running = new ConcurrentHashMap<>();
  private final Map<String, Instant> awaitingReady = new ConcurrentHashMap<>();
  private final List<ReadyListener> readyListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<java.util.function.Consumer<String>> reapedListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  KubernetesRuntime(
      KubernetesClient client,
      SandboxTemplates templates,
      Duration readyTimeout,
      PoolSettings settings,
      SidecarSettings sidecar,
      ProxySettings proxy,
      java.time.Clock clock,
      boolean ownsClient) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.templates = templates;
    this.readyTimeout = readyTimeout;
    this.settings = settings;
    this.sidecar = sidecar;
    this.proxy = proxy;
    this.objects = new SandboxObjects(client, sidecar, proxy);
    this.clock = clock;
    this.informers = new SandboxInformers(client);
    this.oomCheck = new ContainerOomCheck(informers::pod, reaping);
    this.lastExec = new LastExecTimes(client);
    this.pool = new WarmPool(client, informers, objects, templates.defaults(), settings, clock);
    this.reaper = new IdleReaper(informers, pool, lastExec, settings.idleTtl(), clock, this::busy);
    this.leadership = new Leadership(client, settings.controlNamespace(), this::lead);
    this.usage = new PodUsage(client, readers, clock);
    informers.onPod(this::podChanged);
  }

  /** Starts the background work: the pool, the reaper and the election that picks who runs them. */
  void start() {
    lastExec.keepAlive(
        () ->
            informers.namespaces().stream()
                .map(namespace -> namespace.getMetadata().getName())
                .filter(this::busy)
                .toList());
    if (settings.poolEnabled()) {
      pool.start();
    }
    if (settings.reaping()) {
      var period = reaper.period().toMillis();
      reaping.scheduleWithFixedDelay(this::reapQuietly, period, period, TimeUnit.MILLISECONDS);
    } else {
      logger.info("idle reaping is off (SANDBOX_IDLE_TTL={})", settings.idleTtl());
    }
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

  private boolean busy(String sandboxId) {
    return !running.getOrDefault(sandboxId, Map.of()).isEmpty()
        || !detached.getOrDefault(sandboxId, java.util.Set.of()).isEmpty();
  }

  @Override
  public boolean streamsThroughSidecar() {
    return sidecar.enabled();
  }

  @Override
  public @Nullable String ingestTokenSha256(String sandboxId) {
    // Warm pool members included: their sidecars connect while they wait to be claimed, and one
    // turned away would back off to 5 s and hold up the first output after the claim.
    var cached = informers.namespace(sandboxId).filter(WarmPool::live);
    return cached
        .or(() -> namespace(sandboxId))
        .map(ns -> ns.getMetadata().getAnnotations())
        .map(annotations -> annotations.get(Labels.INGEST_TOKEN_SHA256))
        .orElse(null);
  }

  @Override
  public void execActivity(String sandboxId, String execId, boolean ended) {
    lastExec.record(sandboxId, Instant.now());
    if (ended) {
      var execs = detached.get(sandboxId);
      if (execs != null) {
        execs.remove(execId);
      }
    }
  }

  @Override
  public void onReaped(java.util.function.Consumer<String> listener) {
    reapedListeners.add(listener);
  }

  @Override
  public PoolStatus pool() {
    return settings.poolEnabled() ? pool.status() : PoolStatus.NONE;
  }

  /** One reaper pass, whoever leads; the schedule runs it on the leader only. */
  List<String> reapIdle() {
    return reaper.reap(
        (id, idle) -> {
          if (delete(id)) {
            logger.info("reaped sandbox namespace={} idle={}", id, idle.withNanos(0));
            reapedListeners.forEach(listener -> listener.accept(id));
          }
        });
  }

  /** Runs a warm pool pass now; tests call it instead of waiting. */
  void reconcilePool() {
    pool.reconcileNow();
  }

  private void reapQuietly() {
    if (!leading) {
      return;
    }
    try {
      reapIdle();
    } catch (RuntimeException e) {
      logger.warn("idle reaper: {}", e.getMessage());
    }
  }

  @Override
  public void onReady(ReadyListener listener) {
    readyListeners.add(listener);
  }

  @Override
  public @Nullable String unavailableBecause() {
    if (!informers.synced()) {
      return "the watches of namespaces and pods are not in sync with the API server";
    }
    try {
      client.getKubernetesVersion();
      return null;
    } catch (KubernetesClientException e) {
      return "the Kubernetes API server does not answer: " + e.getMessage();
    }
  }

  private void podChanged(Pod pod) {
    var id = pod.getMetadata().getNamespace();
    var now = clock.instant();
    // A create that took longer than SANDBOX_CREATE_READY_TIMEOUT failed, whenever it ends: it
    // is not a sample of the create-to-ready timer.
    var bound = settings.createReadyTimeout();
    awaitingReady.values().removeIf(created -> created.plus(bound).isBefore(now));
    if (SandboxStatus.of(pod).ready()) {
      var created = awaitingReady.remove(id);
      if (created != null) {
        var sinceCreate = Duration.between(created, now);
        readyListeners.forEach(listener -> listener.ready(id, sinceCreate));
      }
    }
  }

  @Override
  public String name() {
    return "kubernetes";
  }

  @Override
  public SandboxInfo create(SandboxSpec spec) {
    var template = templates.resolve(spec);
    if (settings.poolEnabled() && templates.warmable(spec)) {
      var claimed = pool.claim();
      if (claimed.isPresent()) {
        var id = claimed.get().getMetadata().getNamespace();
        pool.created(id);
        applyClaimedPolicy(id, spec.egress());
        var namespace = informers.namespace(id).orElseThrow();
        return info(namespace, claimed.get(), null);
      }
    }
    var id = spec.id();
    awaitingReady.put(id, clock.instant());
    SandboxObjects.Created created;
    try {
      created = objects.create(id, template, Labels.COLD);
    } catch (RuntimeException e) {
      awaitingReady.remove(id);
      throw e;
    }
    pool.created(id);
    return info(created.namespace(), created.pod(), null);
  }

  /**
   * A claimed warm sandbox was made with the configured policy; one asked for another gets it now,
   * before the create returns, so no command of its user runs under the wrong one. If that write
   * fails, the sandbox goes rather than run with a policy nobody asked for.
   */
  private void applyClaimedPolicy(String id, EgressPolicy policy) {
    if (policy.equals(proxy.defaults())) {
      return;
    }
    try {
      writePolicy(id, policy);
    } catch (RuntimeException e) {
      delete(id);
      throw e;
    }
  }

  @Override
  public Optional<EgressPolicy> egressPolicy(String id) {
    var namespace = namespace(id);
    if (namespace.isEmpty()) {
      return Optional.empty();
    }
    var annotations = namespace.get().getMetadata().getAnnotations();
    var cached = EgressObjects.policy(annotations == null ? Map.of() : annotations);
    var written = policiesWritten.get(id);
    if (written != null) {
      if (written.policy().equals(cached) || written.at().plusSeconds(30).isBefore(Instant.now())) {
        policiesWritten.remove(id, written);
      } else {
        return Optional.of(written.policy());
      }
    }
    return Optional.of(cached);
  }

  @Override
  public EgressPolicy updateEgressPolicy(String id, EgressPolicy policy) {
    if (namespace(id).isEmpty()) {
      throw new SandboxNotFoundException(id);
    }
    writePolicy(id, policy);
    return policy;
  }

  private void writePolicy(String id, EgressPolicy policy) {
    try {
      client
          .namespaces()
          .withName(id)
          .edit(
              namespace ->
                  new io.fabric8.kubernetes.api.model.NamespaceBuilder(namespace)
                      .editMetadata()
                      .addToAnnotations(EgressObjects.annotations(policy))
                      .endMetadata()
                      .build());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        throw new SandboxNotFoundException(id);
      }
      throw KubernetesErrors.translate(e, "change the network policy of sandbox " + id);
    }
    policiesWritten.put(id, new PolicyWritten(policy, Instant.now()));
  }

  /** A policy this replica wrote, and when. */
  private record PolicyWritten(EgressPolicy policy, Instant at) {}

  @Override
  public Optional<String> sandboxAt(java.net.InetAddress source) {
    for (var pod : informers.podsAt(source)) {
      var id = pod.getMetadata().getNamespace();
      var namespace = informers.namespace(id);
      // An unclaimed warm sandbox belongs to nobody yet: what it sends is refused.
      if (namespace.isPresent()
          && WarmPool.live(namespace.get())
          && !pool.member(namespace.get(), pod)) {
        return Optional.of(id);
      }
    }
    return Optional.empty();
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
    return namespace(id).map(namespace -> info(namespace, pod(id), usage.of(id)));
  }

  @Override
  public boolean exists(String id) {
    return namespace(id).isPresent(); // from the informers' cache: no metrics request per exec
  }

  @Override
  public List<SandboxInfo> list() {
    var sandboxes = new java.util.ArrayList<SandboxInfo>();
    for (var namespace : informers.namespaces()) {
      var pod = informers.pod(namespace.getMetadata().getName()).orElse(null);
      if (WarmPool.live(namespace) && !pool.member(namespace, pod)) {
        sandboxes.add(info(namespace, pod, null));
      }
    }
    sandboxes.sort(Comparator.comparing(SandboxInfo::id));
    return sandboxes;
  }

  @Override
  public boolean delete(String id) {
    if (namespace(id).isEmpty()) {
      // A second delete while the first one's namespace terminates: it is being deleted already.
      return informers
          .namespace(id)
          .filter(ns -> !WarmPool.live(ns) && !pool.member(ns, informers.pod(id).orElse(null)))
          .isPresent();
    }
    var execs = running.remove(id);
    if (execs != null) {
      execs.values().forEach(exec -> exec.abandon(ExecOutcome.SANDBOX_DELETED));
    }
    lastExec.forget(id);
    awaitingReady.remove(id);
    policiesWritten.remove(id);
    return objects.deleteNamespace(id);
  }

  @Override
  public void exec(String sandboxId, ExecSpec spec, ExecListener listener) {
    if (namespace(sandboxId).isEmpty()) {
      throw new SandboxNotFoundException(sandboxId);
    }
    awaitReady(sandboxId);
    var tracked = new Tracking(sandboxId, spec, listener);
    var argv =
        spec.detached()
            ? ExecScripts.detached(spec, sidecar.eventsDir())
            : ExecScripts.wrapped(spec);
    PodExec exec;
    try {
      exec = PodExec.open(client, sandboxId, spec, argv, tracked, readers);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 400) {
        // The kubelet refuses execs into a pod whose containers ended ("cannot exec into a
        // container in a completed pod"): the sandbox is not ready, whatever the request held.
        var status = SandboxStatus.of(pod(sandboxId));
        throw new SandboxNotReadyException(
            sandboxId,
            status.phase(),
            status.reason() != null ? status.reason() : KubernetesErrors.message(e));
      }
      throw KubernetesErrors.translate(e, "run a command in sandbox " + sandboxId);
    }
    running.computeIfAbsent(sandboxId, id -> new ConcurrentHashMap<>()).put(spec.execId(), exec);
    try {
      exec.started().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      forgetExec(sandboxId, spec.execId());
      if (exec.claimFinish()) {
        exec.abandon(ExecOutcome.SANDBOX_STOPPED);
        if (e.getCause() instanceof MissingDirectoryException) {
          throw new InvalidRequestException(
              "cwd", "working directory " + spec.cwd() + " does not exist in the sandbox");
        }
        throw new RuntimeUnavailableException(
            "could not run the command in sandbox " + sandboxId + ": " + e.getMessage(), e);
      }
      return; // it ended meanwhile and the listener heard about it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeUnavailableException("interrupted while starting the command", e);
    }
    lastExec.record(sandboxId, Instant.now());
  }

  @Override
  public void terminate(String sandboxId, String execId, Duration grace) {
    signal(sandboxId, execId, "TERM");
    waitForEnd(sandboxId, execId, grace);
    var deadline = System.nanoTime() + KILL_PHASE.toNanos();
    boolean answered = false;
    for (int round = 0; round < KILL_ROUNDS && System.nanoTime() < deadline; round++) {
      var left = signal(sandboxId, execId, "KILL");
      answered |= left.isPresent();
      if (left.isPresent() && left.getAsInt() == 0) {
        return;
      }
      waitForEnd(sandboxId, execId, Duration.ofMillis(200));
    }
    if (answered) {
      logger.warn("exec {} in {}: processes still running after KILL", execId, sandboxId);
      return;
    }
    // No round reached the pod: nobody knows whether its processes are gone, so the exec is not
    // reported as ended by the kill; it is reported lost.
    logger.warn("exec {} in {}: could not reach the pod to kill its processes", execId, sandboxId);
    var exec = running.getOrDefault(sandboxId, Map.of()).get(execId);
    if (exec != null) {
      exec.abandon(ExecOutcome.KILL_UNCONFIRMED);
    }
  }

  /**
   * Asks every ready sandbox which execs ran while no control plane watched them: the exec wrapper
   * leaves a marker in the pod while its program runs. Once, at start-up, in parallel.
   */
  @Override
  public List<InterruptedExec> interruptedExecs() {
    var found = new java.util.concurrent.ConcurrentLinkedQueue<InterruptedExec>();
    var ready = list().stream().filter(SandboxInfo::ready).map(SandboxInfo::id).toList();
    var pool = Executors.newFixedThreadPool(Math.max(1, Math.min(8, ready.size())));
    try {
      for (var id : ready) {
        pool.execute(
            () ->
                runScript(id, ExecScripts.interrupted())
                    .ifPresent(output -> found.addAll(InterruptedExecs.parse(id, output))));
      }
    } finally {
      pool.shutdown();
      try {
        pool.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return List.copyOf(found);
  }

  @Override
  public void close() {
    leadership.close();
    reaping.shutdownNow();
    pool.close();
    lastExec.close();
    informers.close();
    readers.shutdownNow();
    if (ownsClient) {
      client.close();
    }
  }

  private Optional<Namespace> namespace(String id) {
    var cached = informers.namespace(id);
    if (cached.isPresent()) {
      return cached
          .filter(WarmPool::live)
          .filter(namespace -> !pool.member(namespace, informers.pod(id).orElse(null)));
    }
    // Not watched yet (created a moment ago) or not ours: ask the API server once.
    try {
      var namespace = client.namespaces().withName(id).get();
      if (namespace == null
          || namespace.getMetadata().getLabels() == null
          || !Labels.MANAGER.equals(namespace.getMetadata().getLabels().get(Labels.MANAGED_BY))) {
        return Optional.empty();
      }
      return Optional.of(namespace).filter(WarmPool::live).filter(ns -> !pool.member(ns, pod(id)));
    } catch (KubernetesClientException e) {
      throw KubernetesErrors.translate(e, "read namespace " + id);
    }
  }

  private @Nullable Pod pod(String id) {
    var cached = informers.pod(id);
    if (cached.isPresent()) {
      return cached.get();
    }
    try {
      return client.pods().inNamespace(id).withName(Labels.POD_NAME).get();
    } catch (KubernetesClientException e) {
      throw KubernetesErrors.translate(e, "read the pod of sandbox " + id);
    }
  }

  private void awaitReady(String id) {
    var pod = pod(id);
    if (SandboxStatus.of(pod).ready()) {
      return;
    }
    try {
      // A watch, not polling: it returns as soon as the kubelet reports the pod Ready.
      client
          .pods()
          .inNamespace(id)
          .withName(Labels.POD_NAME)
          .waitUntilCondition(
              p -> p == null || SandboxStatus.of(p).ready() || terminal(p),
              readyTimeout.toMillis(),
              TimeUnit.MILLISECONDS);
    } catch (KubernetesClientTimeoutException e) {
      // answered below with the pod's last state
    } catch (KubernetesClientException e) {
      throw KubernetesErrors.translate(e, "watch the pod of sandbox " + id);
    }
    // Read afresh: the watched cache may lag behind the state that made the wait time out.
    SandboxStatus status;
    try {
      status = SandboxStatus.of(client.pods().inNamespace(id).withName(Labels.POD_NAME).get());
    } catch (KubernetesClientException e) {
      throw KubernetesErrors.translate(e, "read the pod of sandbox " + id);
    }
    if (!status.ready()) {
      throw new SandboxNotReadyException(id, status.phase(), status.reason());
    }
  }

  /**
   * How many of the exec's processes were left to signal, or empty when the pod was not reached.
   */
  private java.util.OptionalInt signal(String sandboxId, String execId, String signal) {
    var text = runScript(sandboxId, ExecScripts.kill(execId, signal));
    if (text.isEmpty()) {
      return java.util.OptionalInt.empty();
    }
    try {
      return java.util.OptionalInt.of(Integer.parseInt(text.get().trim()));
    } catch (NumberFormatException e) {
      return java.util.OptionalInt.empty();
    }
  }

  /**
   * Runs one of our own scripts in the sandbox (the sandbox's image supplies the shell): at most
   * {@link #SCRIPT_OUTPUT_MAX} bytes of its stdout, or empty when it did not complete.
   */
  private Optional<String> runScript(String sandboxId, List<String> argv) {
    try (var out = new CappedOutput(SCRIPT_OUTPUT_MAX);
        var watch = PodExecSockets.open(client, sandboxId, argv, null, out, false, readers)) {
      var code = watch.exitCode().get(10, TimeUnit.SECONDS);
      if (code == null || code != 0) {
        logger.warn("{} in {} exited with {}", argv.get(3), sandboxId, code);
        return Optional.empty();
      }
      return Optional.of(out.text());
    } catch (Exception e) {
      logger.warn("could not run {} in {}: {}", argv.get(3), sandboxId, e.toString());
      return Optional.empty();
    }
  }

  private void waitForEnd(String sandboxId, String execId, Duration timeout) {
    var exec = running.getOrDefault(sandboxId, Map.of()).get(execId);
    if (exec == null) {
      return;
    }
    try {
      exec.ended().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // still running: the next round of signals deals with it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void forgetExec(String sandboxId, String execId) {
    var execs = running.get(sandboxId);
    if (execs != null) {
      execs.remove(execId);
    }
  }

  @Override
  public Map<String, String> unenforcedLimits() {
    return templates.defaults().resources().pids() == null
        ? Map.of()
        : Map.of(Resources.PIDS, SandboxLimits.PIDS_UNENFORCED);
  }

  private SandboxInfo info(Namespace namespace, @Nullable Pod pod, @Nullable ResourceUsage used) {
    var id = namespace.getMetadata().getName();
    var status = SandboxStatus.of(pod);
    // A warm sandbox's life, to its user, starts when their create took it.
    var claimed = pool.claimedAt(namespace, pod);
    var resources = SandboxLimits.of(pod);
    return new SandboxInfo(
        id,
        name(),
        status.phase(),
        status.ready(),
        claimed != null ? claimed : WarmSandboxes.createdAt(namespace),
        lastExec.get(id, namespace),
        status.reason(),
        WarmSandboxes.warm(namespace) ? LaunchType.WARM : LaunchType.COLD,
        resources,
        resources.pids() == null ? Map.of() : Map.of(Resources.PIDS, SandboxLimits.PIDS_UNENFORCED),
        used);
  }

  private static boolean terminal(Pod pod) {
    var phase = SandboxStatus.of(pod).phase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  /** Passes events on, and forgets the exec and records its end time when it ends. */
  private final class Tracking implements ExecListener {
    private final String sandboxId;
    private final String execId;
    private final boolean detachedExec;
    private final ExecListener delegate;

    Tracking(String sandboxId, ExecSpec spec, ExecListener delegate) {
      this.sandboxId = sandboxId;
      this.execId = spec.execId();
      this.detachedExec = spec.detached();
      this.delegate = delegate;
      if (detachedExec) {
        detached.computeIfAbsent(sandboxId, id -> ConcurrentHashMap.newKeySet()).add(execId);
      }
    }

    @Override
    public void output(OutputStreamKind stream, byte[] data, int length) {
      delegate.output(stream, data, length);
    }

    @Override
    public void finished(ExecOutcome outcome) {
      forgetExec(sandboxId, execId);
      lastExec.record(sandboxId, Instant.now());
      if (detachedExec && !outcome.lost()) {
        return; // the pod exec only started it; its end comes through ingest
      }
      if (detachedExec) {
        execActivity(sandboxId, execId, true);
      }
      if (ExecOutcome.SANDBOX_STOPPED.equals(outcome.reason())) {
        // The container ended under it: the OOM killer, when the kubelet says so.
        oomCheck.check(
            sandboxId, oom -> delegate.finished(oom ? ExecOutcome.oomKilled() : outcome));
        return;
      }
      delegate.finished(outcome);
    }
  }
}
