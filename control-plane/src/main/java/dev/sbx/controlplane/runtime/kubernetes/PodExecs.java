package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.runtime.ExecListener;
import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.runtime.InterruptedExec;
import dev.sbx.controlplane.runtime.MissingWorkingDirectoryException;
import dev.sbx.controlplane.runtime.OutputStreamKind;
import dev.sbx.controlplane.runtime.RuntimeUnavailableException;
import dev.sbx.controlplane.runtime.SandboxNotReadyException;
import dev.sbx.controlplane.runtime.Terminal;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The execs running in pods: starts them, ends them with TERM then rounds of KILL, and knows which
 * sandboxes are busy. Execs started apart from a pod exec (sidecar mode) count as running until
 * their end arrives through ingest.
 */
final class PodExecs implements AutoCloseable {

  private static final Logger logger = LoggerFactory.getLogger(PodExecs.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final int KILL_ROUNDS = 10;
  // The longest the KILL rounds of one terminate may take, however the API server answers.
  private static final Duration KILL_PHASE = Duration.ofSeconds(15);

  private final KubernetesClient client;
  private final SandboxLookup lookup;
  private final PodReadiness readiness;
  private final PodScripts scripts;
  private final LastExecTimes lastExec;
  private final SidecarSettings sidecar;
  private final ExecutorService readers;
  private final ScheduledExecutorService timer = Schedulers.daemonScheduler("sbx-exec-timer");
  private final ContainerOomCheck oomCheck;
  private final Map<String, Map<String, RunningPodExec>> running = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> detached = new ConcurrentHashMap<>();

  PodExecs(
      KubernetesClient client,
      SandboxInformers informers,
      SandboxLookup lookup,
      Duration readyTimeout,
      LastExecTimes lastExec,
      SidecarSettings sidecar,
      ExecutorService readers) {
    this.client = client;
    this.readers = readers;
    this.lookup = lookup;
    this.readiness = new PodReadiness(client, lookup, readyTimeout);
    this.scripts = new PodScripts(client, readers);
    this.lastExec = lastExec;
    this.sidecar = sidecar;
    this.oomCheck = new ContainerOomCheck(informers::pod, timer);
  }

  /** Whether an exec runs in the sandbox: the reaper leaves it alone. */
  boolean busy(String sandboxId) {
    return !running.getOrDefault(sandboxId, Map.of()).isEmpty()
        || !detached.getOrDefault(sandboxId, Set.of()).isEmpty();
  }

  /** An exec's start, output or end, as ingest reports it (sidecar mode). */
  void activity(String sandboxId, String execId, boolean ended) {
    lastExec.record(sandboxId, Instant.now());
    if (ended) {
      var execs = detached.get(sandboxId);
      if (execs != null) {
        execs.remove(execId);
      }
    }
  }

  /** Starts the exec once the pod is Ready; returns when it runs (or already ended). */
  void start(String sandboxId, ExecSpec spec, ExecListener listener) {
    readiness.await(sandboxId);
    var tracked = new Tracking(sandboxId, spec, listener);
    var argv =
        spec.detached()
            ? ExecScripts.detached(spec, sidecar.eventsDir())
            : ExecScripts.wrapped(spec);
    awaitStart(
        sandboxId,
        spec,
        opened(sandboxId, () -> PodExec.open(client, sandboxId, spec, argv, tracked, readers)));
  }

  /**
   * Starts the exec on a terminal of {@code spec.tty()}'s size once the pod is Ready; returns when
   * it runs (or already ended), with its input. It runs under the same wrapper as any exec (env,
   * cwd, the SBX_EXEC_ID that {@link #terminate} finds its processes by), never detached: its input
   * needs this connection anyway.
   */
  Terminal startTerminal(String sandboxId, ExecSpec spec, ExecListener listener) {
    if (spec.detached()) {
      throw new IllegalArgumentException("a command on a terminal is never detached");
    }
    readiness.await(sandboxId);
    var tracked = new Tracking(sandboxId, spec, listener);
    var argv = ExecScripts.wrapped(spec);
    var terminal =
        opened(sandboxId, () -> PodTerminal.open(client, sandboxId, spec, argv, tracked, readers));
    awaitStart(sandboxId, spec, terminal);
    return terminal.input();
  }

  private <T extends RunningPodExec> T opened(String sandboxId, Supplier<T> open) {
    try {
      return open.get();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 400) {
        // The kubelet refuses execs into a pod whose containers ended ("cannot exec into a
        // container in a completed pod"): the sandbox is not ready, whatever the request held.
        var status = SandboxStatus.of(lookup.pod(sandboxId));
        throw new SandboxNotReadyException(
            sandboxId,
            status.phase(),
            status.reason() != null ? status.reason() : KubernetesErrors.message(e));
      }
      throw KubernetesErrors.translate(e, "run a command in sandbox " + sandboxId);
    }
  }

  private void awaitStart(String sandboxId, ExecSpec spec, RunningPodExec exec) {
    running.computeIfAbsent(sandboxId, id -> new ConcurrentHashMap<>()).put(spec.execId(), exec);
    try {
      exec.started().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      forget(sandboxId, spec.execId());
      if (exec.claimFinish()) {
        exec.abandon(ExecOutcome.SANDBOX_STOPPED);
        if (e.getCause() instanceof MissingWorkingDirectoryException missing) {
          throw missing;
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

  /**
   * TERM, up to grace for the exec to end, then KILL rounds until none of its processes is left.
   * When no round reached the pod, nobody knows whether its processes are gone: the exec is not
   * reported as ended by the kill but lost ({@link ExecOutcome#KILL_UNCONFIRMED}).
   */
  void terminate(String sandboxId, String execId, Duration grace) {
    scripts.signal(sandboxId, execId, "TERM");
    waitForEnd(sandboxId, execId, grace);
    var deadline = System.nanoTime() + KILL_PHASE.toNanos();
    boolean answered = false;
    for (int round = 0; round < KILL_ROUNDS && System.nanoTime() < deadline; round++) {
      var left = scripts.signal(sandboxId, execId, "KILL");
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
    logger.warn("exec {} in {}: could not reach the pod to kill its processes", execId, sandboxId);
    var exec = running.getOrDefault(sandboxId, Map.of()).get(execId);
    if (exec != null) {
      exec.abandon(ExecOutcome.KILL_UNCONFIRMED);
    }
  }

  /** The sandbox is being deleted: its execs end so. */
  void abandonAll(String sandboxId) {
    var execs = running.remove(sandboxId);
    if (execs != null) {
      execs.values().forEach(exec -> exec.abandon(ExecOutcome.SANDBOX_DELETED));
    }
  }

  /**
   * Asks each of the sandboxes which execs ran while no control plane watched them: the exec
   * wrapper leaves a marker in the pod while its program runs. In parallel, at most 30 s.
   */
  List<InterruptedExec> interrupted(List<String> sandboxIds) {
    var found = new ConcurrentLinkedQueue<InterruptedExec>();
    var scan =
        Schedulers.daemonThreads(
            "sbx-interrupted-scan", Math.max(1, Math.min(8, sandboxIds.size())));
    try {
      for (var id : sandboxIds) {
        scan.execute(
            () ->
                scripts
                    .run(id, ExecScripts.interrupted())
                    .ifPresent(output -> found.addAll(InterruptedExecs.parse(id, output))));
      }
    } finally {
      scan.shutdown();
      try {
        scan.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return List.copyOf(found);
  }

  @Override
  public void close() {
    timer.shutdownNow();
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

  private void forget(String sandboxId, String execId) {
    var execs = running.get(sandboxId);
    if (execs != null) {
      execs.remove(execId);
    }
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
      forget(sandboxId, execId);
      lastExec.record(sandboxId, Instant.now());
      if (detachedExec && !outcome.lost()) {
        return; // the pod exec only started it; its end comes through ingest
      }
      if (detachedExec) {
        activity(sandboxId, execId, true);
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
