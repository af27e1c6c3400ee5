package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.HelperOutcome;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.internal.PodOperationContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * Runs a helper in a sandbox's pod with its stdin and stdout streamed, as {@code kubectl cp} does,
 * but checked: the caller counts the bytes, and the exit status comes from the API server's Status
 * on the error channel. A pod exec ends when its command ends, so waiting for that status is
 * bounded by the helper, which a failed stream makes fail in turn.
 */
final class PodPipes {

  private final KubernetesClient client;
  private final ExecutorService readers;

  PodPipes(KubernetesClient client, ExecutorService readers) {
    this.client = client;
    this.readers = readers;
  }

  HelperOutcome pipe(
      String sandboxId, List<String> argv, @Nullable InputStream in, OutputStream out)
      throws IOException {
    var err = new CappedOutput(HelperOutcome.STDERR_LIMIT);
    try (var watch =
        PodExecSockets.open(
            client,
            sandboxId,
            argv,
            in,
            out,
            new PodOperationContext.StreamContext(err),
            readers)) {
      Integer code = watch.exitCode().get();
      return new HelperOutcome(
          code == null ? ExecOutcome.lost(ExecOutcome.SANDBOX_STOPPED) : ExecOutcome.exited(code),
          err.text());
    } catch (ExecutionException e) {
      throw new IOException("the pod exec failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running a helper", e);
    }
  }
}
