package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.runtime.ExecListener;
import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.runtime.InterruptedExec;
import dev.sbx.controlplane.runtime.OutputStreamKind;
import dev.sbx.controlplane.runtime.RuntimeUnavailableException;
import dev.sbx.controlplane.runtime.SandboxExistsException;
import dev.sbx.controlplane.runtime.SandboxInfo;
import dev.sbx.controlplane.runtime.SandboxNotFoundException;
import dev.sbx.controlplane.runtime.SandboxNotReadyException;
import dev.sbx.controlplane.runtime.SandboxRuntime;
import dev.sbx.controlplane.runtime.SandboxSpec;
import dev.sbx.controlplane.web.InvalidRequestException;
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

  private final KubernetesClient client;
  private final SandboxTemplates templates;
  private final SandboxInformers informers;
  private final LastExecTimes lastExec;
  private final Duration readyTimeout;
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

  KubernetesRuntime(KubernetesClient client, SandboxTemplates templates, Duration readyTimeout) {
    this.client = client;
    this.templates = templates;
    this.readyTimeout = readyTimeout;
    this.informers = new SandboxInformers(client);
    this.lastExec = new LastExecTimes(client);
    informers.onPod(this::podChanged);
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
    if (SandboxStatus.of(pod).ready()) {
      var created = awaitingReady.remove(id);
      if (created != null) {
        var sinceCreate = Duration.between(created, Instant.now());
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
    var id = spec.id();
    Namespace namespace;
    try {
      namespace =
          client
              .namespaces()
              .resource(SandboxManifests.namespace(id, template, Labels.COLD))
              .create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        throw new SandboxExistsException(id);
      }
      throw KubernetesErrors.translate(e, "create namespace " + id);
    }
    try {
      for (var claim : SandboxManifests.claims(id, template, Labels.COLD)) {
        client.persistentVolumeClaims().inNamespace(id).resource(claim).create();
      }
      awaitingReady.put(id, Instant.now());
      var pod =
          client
              .pods()
              .inNamespace(id)
              .resource(SandboxManifests.pod(id, template, Labels.COLD))
              .create();
      logger.info("created namespace and pod for sandbox {}", id);
      return info(namespace, pod);
    } catch (KubernetesClientException e) {
      // A half-made sandbox is worse than none: the request changes nothing.
      deleteNamespace(id);
      throw KubernetesErrors.translate(e, "create the pod of sandbox " + id);
    }
  }

  @Override
  public Optional<SandboxInfo> find(String id) {
    return namespace(id).map(namespace -> info(namespace, pod(id)));
  }

  @Override
  public List<SandboxInfo> list() {
    return informers.namespaces().stream()
        .filter(KubernetesRuntime::live)
        .map(
            namespace ->
                info(namespace, informers.pod(namespace.getMetadata().getName()).orElse(null)))
        .sorted(Comparator.comparing(SandboxInfo::id))
        .toList();
  }

  @Override
  public boolean delete(String id) {
    if (namespace(id).isEmpty()) {
      return false;
    }
    var execs = running.remove(id);
    if (execs != null) {
      execs.values().forEach(exec -> exec.abandon(ExecOutcome.SANDBOX_DELETED));
    }
    lastExec.forget(id);
    awaitingReady.remove(id);
    return deleteNamespace(id);
  }

  @Override
  public void exec(String sandboxId, ExecSpec spec, ExecListener listener) {
    if (namespace(sandboxId).isEmpty()) {
      throw new SandboxNotFoundException(sandboxId);
    }
    awaitReady(sandboxId);
    var tracked = new Tracking(sandboxId, spec.execId(), listener);
    PodExec exec;
    try {
      exec = PodExec.open(client, sandboxId, spec, tracked, readers);
    } catch (KubernetesClientException e) {
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
    for (int round = 0; round < KILL_ROUNDS; round++) {
      if (signal(sandboxId, execId, "KILL") == 0) {
        return;
      }
      waitForEnd(sandboxId, execId, Duration.ofMillis(200));
    }
    logger.warn("exec {} in {}: processes still running after KILL", execId, sandboxId);
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
                found.addAll(InterruptedExecs.parse(id, runScript(id, ExecScripts.interrupted()))));
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
    lastExec.close();
    informers.close();
    readers.shutdownNow();
    client.close();
  }

  private Optional<Namespace> namespace(String id) {
    var cached = informers.namespace(id);
    if (cached.isPresent()) {
      return cached.filter(KubernetesRuntime::live);
    }
    // Not watched yet (created a moment ago) or not ours: ask the API server once.
    try {
      var namespace = client.namespaces().withName(id).get();
      if (namespace == null
          || namespace.getMetadata().getLabels() == null
          || !Labels.MANAGER.equals(namespace.getMetadata().getLabels().get(Labels.MANAGED_BY))) {
        return Optional.empty();
      }
      return Optional.of(namespace).filter(KubernetesRuntime::live);
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

  private int signal(String sandboxId, String execId, String signal) {
    var text = runScript(sandboxId, ExecScripts.kill(execId, signal)).trim();
    try {
      return text.isEmpty() ? 0 : Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Runs one of our own scripts in the sandbox and returns its stdout ("" when it failed). */
  private String runScript(String sandboxId, List<String> argv) {
    try (var out = new java.io.ByteArrayOutputStream();
        var watch =
            client
                .pods()
                .inNamespace(sandboxId)
                .withName(Labels.POD_NAME)
                .inContainer(Labels.CONTAINER)
                .withReadyWaitTimeout(0)
                .writingOutput(out)
                .exec(argv.toArray(String[]::new))) {
      watch.exitCode().get(10, TimeUnit.SECONDS);
      return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    } catch (Exception e) {
      logger.warn("could not run {} in {}: {}", argv.get(3), sandboxId, e.toString());
      return "";
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

  private boolean deleteNamespace(String id) {
    try {
      return !client.namespaces().withName(id).delete().isEmpty();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw KubernetesErrors.translate(e, "delete namespace " + id);
    }
  }

  private void forgetExec(String sandboxId, String execId) {
    var execs = running.get(sandboxId);
    if (execs != null) {
      execs.remove(execId);
    }
  }

  private SandboxInfo info(Namespace namespace, @Nullable Pod pod) {
    var id = namespace.getMetadata().getName();
    var status = SandboxStatus.of(pod);
    var created = namespace.getMetadata().getCreationTimestamp();
    return new SandboxInfo(
        id,
        name(),
        status.phase(),
        status.ready(),
        created == null ? Instant.now() : Instant.parse(created),
        lastExec.get(id, namespace),
        status.reason());
  }

  private static boolean live(Namespace namespace) {
    return namespace.getMetadata().getDeletionTimestamp() == null
        && (namespace.getStatus() == null
            || !"Terminating".equals(namespace.getStatus().getPhase()));
  }

  private static boolean terminal(Pod pod) {
    var phase = SandboxStatus.of(pod).phase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  /** Passes events on, and forgets the exec and records its end time when it ends. */
  private final class Tracking implements ExecListener {
    private final String sandboxId;
    private final String execId;
    private final ExecListener delegate;

    Tracking(String sandboxId, String execId, ExecListener delegate) {
      this.sandboxId = sandboxId;
      this.execId = execId;
      this.delegate = delegate;
    }

    @Override
    public void output(OutputStreamKind stream, byte[] data, int length) {
      delegate.output(stream, data, length);
    }

    @Override
    public void finished(ExecOutcome outcome) {
      forgetExec(sandboxId, execId);
      lastExec.record(sandboxId, Instant.now());
      delegate.finished(outcome);
    }
  }
}
