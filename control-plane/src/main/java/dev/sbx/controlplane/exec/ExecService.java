package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.metrics.SandboxMetrics;
import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.runtime.SandboxNotFoundException;
import dev.sbx.controlplane.runtime.SandboxRuntime;
import dev.sbx.controlplane.sandbox.SandboxService;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Service;

/** Runs commands in sandboxes, stops them on timeout or cancel, and keeps their status. */
@Service
public class ExecService implements DisposableBean {

  private static final Logger logger = LoggerFactory.getLogger(ExecService.class);

  private final SandboxService sandboxes;
  private final SandboxRuntime runtime;
  private final EventLogs eventLogs;
  private final ExecRegistry registry;
  private final ExecIds ids;
  private final ExecProperties settings;
  private final SandboxMetrics metrics;
  private final ExecIngest ingest;
  private final TaskScheduler scheduler;
  // Stopping waits out the kill grace, so each stop has a thread of its own rather than one of the
  // scheduler's few: a hundred execs timing out at once all get TERM now, not a few at a time.
  private final ExecutorService stoppers =
      Executors.newCachedThreadPool(
          r -> {
            var t = new Thread(r, "sbx-exec-stop");
            t.setDaemon(true);
            return t;
          });

  public ExecService(
      SandboxService sandboxes,
      SandboxRuntime runtime,
      EventLogs eventLogs,
      ExecRegistry registry,
      ExecIds ids,
      ExecProperties settings,
      SandboxMetrics metrics,
      ExecIngest ingest,
      TaskScheduler taskScheduler) {
    this.sandboxes = sandboxes;
    this.runtime = runtime;
    this.eventLogs = eventLogs;
    this.registry = registry;
    this.ids = ids;
    this.settings = settings;
    this.metrics = metrics;
    this.ingest = ingest;
    this.scheduler = taskScheduler;
  }

  /** What an exec request got: the exec, and whether it was answered without waiting. */
  public record Outcome(ExecView exec, boolean async) {}

  /** Starts the command; waits for it to end unless the exec is async. */
  public Outcome exec(String sandbox, ExecRequest request) throws InterruptedException {
    var command = ExecRequestCheck.command(request.command());
    var timeout =
        ExecRequestCheck.timeoutSeconds(
            request.timeoutSeconds(), settings.defaultTimeout(), settings.execMaxTimeout());
    var env = ExecRequestCheck.env(request.env());
    var cwd = ExecRequestCheck.cwd(request.cwd());
    var stdin = ExecRequestCheck.stdin(request.stdin(), request.stdinBase64());
    var sandboxId = sandboxes.existingId(sandbox);
    boolean async = request.async() != null ? request.async() : settings.useAsyncExec();

    var execId = ids.next();
    var record = registry.add(new ExecRecord(sandboxId, execId, command, Instant.now(), timeout));
    var run =
        new ExecRun(
            record,
            eventLogs.forSandbox(sandboxId),
            async ? 0 : settings.execMaxOutput().toBytes());
    // Sidecar mode: an async exec's output and end come through ingest, not from the runtime.
    boolean detached = async && runtime.streamsThroughSidecar();
    try {
      runtime.exec(
          sandboxId,
          new ExecSpec(execId, command, env, cwd, stdin, detached),
          detached ? new StartFailures(ingest, sandboxId, execId) : run);
    } catch (SandboxNotFoundException e) {
      registry.discard(record);
      eventLogs.remove(sandboxId); // deleted meanwhile: keep nothing for it
      throw e;
    } catch (RuntimeException e) {
      registry.discard(record); // nothing ran: the request changed nothing
      throw e;
    }
    if (detached) {
      ingest.start(sandboxId, execId, 0);
    } else {
      run.started();
    }
    watch(record, timeout);
    if (async) {
      return new Outcome(record.view(), true); // may have ended already: it says so
    }
    try {
      return new Outcome(record.done().get().view().withOutput(run.captured()), false);
    } catch (ExecutionException e) {
      throw new IllegalStateException("exec " + execId + " failed to report its end", e);
    }
  }

  /** Counts the running exec in the metrics, and stops it when its timeout comes. */
  void watch(ExecRecord record, @Nullable Integer timeout) {
    metrics.execStarted();
    record
        .done()
        .thenAccept(
            done -> {
              var view = done.view();
              metrics.execFinished(
                  view.status().wireName(), Duration.between(view.startedAt(), done.finishedAt()));
              if (ExecOutcome.OOM_KILLED.equals(view.reason())) {
                metrics.oomKilled();
              }
            });
    if (timeout != null) {
      // Stopping waits out the grace period, so it runs apart from the timer's one thread.
      var stopping =
          scheduler.schedule(
              () -> stoppers.execute(() -> stop(record, ExecRecord.TIMEOUT)),
              Instant.now().plusSeconds(timeout));
      record.done().thenRun(() -> stopping.cancel(false));
    }
  }

  public List<ExecView> list(String sandbox) {
    var sandboxId = sandboxes.existingId(sandbox);
    return registry.list(sandboxId).stream().map(ExecRecord::view).toList();
  }

  /**
   * An exec's raw output of one stream from a byte offset, as kept in its sandbox's store.
   *
   * @throws OutputDroppedException when the bytes at that offset are no longer kept
   */
  RawOutput output(String sandbox, String execId, String stream, long offset) {
    var record = find(sandbox, execId);
    return RawOutput.open(
        eventLogs.forSandbox(record.sandboxId()), record.execId(), stream, offset);
  }

  /**
   * Up to {@code max} bytes of an exec's stream from a byte offset, as kept now, with where the
   * stream stands: for callers that page through output rather than follow it.
   *
   * @throws OutputDroppedException when the bytes at that offset are no longer kept
   */
  public OutputSlice outputSlice(
      String sandbox, String execId, String stream, long offset, int max) {
    var record = find(sandbox, execId);
    return OutputSlice.read(
        eventLogs.forSandbox(record.sandboxId()), record.execId(), stream, offset, max);
  }

  /** Completes with the exec's final view when it has ended (at once when it has already). */
  public CompletableFuture<ExecView> ended(String sandbox, String execId) {
    return find(sandbox, execId).done().thenApply(ExecRecord::view);
  }

  /** Whether this control plane holds the exec, running or retained (a full sandbox id). */
  public boolean holds(String sandboxId, String execId) {
    return registry.find(sandboxId, execId).isPresent();
  }

  public ExecView get(String sandbox, String execId) {
    return find(sandbox, execId).view();
  }

  /** Stops the exec and everything it started, waits until it has ended, and returns it. */
  public ExecView cancel(String sandbox, String execId) throws InterruptedException {
    var record = find(sandbox, execId);
    if (!record.running()) {
      throw new ExecFinishedException(execId, record.view().status());
    }
    stop(record, ExecRecord.CANCELED); // does nothing when a timeout is stopping it already
    try {
      var waitFor = settings.execKillGrace().plus(Duration.ofSeconds(30));
      return record.done().get(waitFor.toMillis(), TimeUnit.MILLISECONDS).view();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("exec " + execId + " did not end after KILL", e);
    }
  }

  /** Stops the exec on a thread of its own, for this reason, unless it is stopping already. */
  void stopLater(ExecRecord record, String why) {
    stoppers.execute(() -> stop(record, why));
  }

  /** Stops an exec for a timeout or a cancel; false when it ended or is stopping already. */
  private boolean stop(ExecRecord record, String why) {
    if (!record.requestStop(why)) {
      return false;
    }
    logger.info("stopping exec {} in {}: {}", record.execId(), record.sandboxId(), why);
    try {
      runtime.terminate(record.sandboxId(), record.execId(), settings.execKillGrace());
    } finally {
      record.stopped();
    }
    return true;
  }

  ExecRecord find(String sandbox, @Nullable String execId) {
    var sandboxId = sandboxes.existingId(sandbox);
    return registry
        .find(sandboxId, execId == null ? "" : execId)
        .orElseThrow(() -> new ExecNotFoundException(sandboxId, String.valueOf(execId)));
  }

  @Override
  public void destroy() {
    stoppers.shutdownNow();
  }
}
