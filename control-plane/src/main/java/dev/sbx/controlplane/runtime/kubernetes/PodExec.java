package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.runtime.ExecListener;
import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.runtime.OutputStreamKind;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.dsl.internal.PodOperationContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exec in a sandbox pod, through the pod exec API. Output is read from fabric8's redirected
 * streams until they end, which fabric8 does only after the exit status, so the listener hears all
 * output before the end. The first stderr line is the wrapper's start report, not output.
 */
final class PodExec implements RunningPodExec {

  private static final Logger logger = LoggerFactory.getLogger(PodExec.class);

  private final ExecSpec spec;
  private final ExecListener listener;
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private final CountDownLatch streamsDone = new CountDownLatch(2);
  private final AtomicBoolean finished = new AtomicBoolean();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private volatile ExecWatch watch;
  private volatile String lostReason;

  private PodExec(ExecSpec spec, ExecListener listener) {
    this.spec = spec;
    this.listener = listener;
  }

  /** Opens the exec; output flows to the listener from reader threads of the executor. */
  static PodExec open(
      KubernetesClient client,
      String namespace,
      ExecSpec spec,
      List<String> argv,
      ExecListener listener,
      Executor readers) {
    var exec = new PodExec(spec, listener);
    var stdin = spec.stdin() == null ? null : new ByteArrayInputStream(spec.stdin());
    exec.watch =
        PodExecSockets.open(
            client, namespace, argv, stdin, null, new PodOperationContext.StreamContext(), readers);
    readers.execute(() -> exec.pump(exec.watch.getOutput(), OutputStreamKind.STDOUT));
    readers.execute(() -> exec.pump(exec.watch.getError(), OutputStreamKind.STDERR));
    exec.watch
        .exitCode()
        .whenComplete((code, error) -> readers.execute(() -> exec.end(code, error)));
    return exec;
  }

  @Override
  public CompletableFuture<Void> started() {
    return started;
  }

  @Override
  public CompletableFuture<Void> ended() {
    return ended;
  }

  @Override
  public void abandon(String reason) {
    lostReason = reason;
    watch.close();
  }

  @Override
  public boolean claimFinish() {
    return finished.compareAndSet(false, true);
  }

  private void pump(InputStream in, OutputStreamKind stream) {
    var buffer = new byte[64 * 1024];
    var report = stream == OutputStreamKind.STDERR ? new StartReport(spec.cwd(), started) : null;
    try (in) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        int offset = report != null ? report.consume(buffer, n) : 0;
        if (n > offset && !finished.get()) {
          var chunk = Arrays.copyOfRange(buffer, offset, n);
          listener.output(stream, chunk, chunk.length);
        }
      }
    } catch (IOException e) {
      logger.debug("exec {}: {} ended: {}", spec.execId(), stream, e.toString());
    } finally {
      streamsDone.countDown();
    }
  }

  private void end(Integer code, Throwable error) {
    try {
      streamsDone.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      report(code, error);
    } finally {
      ended.complete(null);
    }
  }

  private void report(Integer code, Throwable error) {
    started.completeExceptionally(
        new IOException(
            "the exec ended before it started"
                + (error != null
                    ? ": " + error.getMessage()
                    : code != null ? " (exit " + code + ")" : "")));
    if (started.isCompletedExceptionally()) {
      return; // it never ran: whoever waits for the start reports that, not the listener
    }
    if (!claimFinish()) {
      return;
    }
    if (lostReason != null || code == null || code < 0 || error != null) {
      // No status from the kubelet: the pod or the connection went away; never report 0.
      listener.finished(
          ExecOutcome.lost(lostReason != null ? lostReason : ExecOutcome.SANDBOX_STOPPED));
    } else {
      listener.finished(ExecOutcome.exited(code));
    }
  }
}
