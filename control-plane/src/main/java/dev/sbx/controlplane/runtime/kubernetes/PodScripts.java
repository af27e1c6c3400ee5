package dev.sbx.controlplane.runtime.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the control plane's own short scripts in a sandbox (kill rounds, the interrupted-exec scan),
 * through a pod exec whose output is bounded: what comes back is the sandbox's, so it is hostile.
 */
final class PodScripts {

  private static final Logger logger = LoggerFactory.getLogger(PodScripts.class);
  private static final int OUTPUT_MAX = 1 << 20;

  private final KubernetesClient client;
  private final ExecutorService readers;

  PodScripts(KubernetesClient client, ExecutorService readers) {
    this.client = client;
    this.readers = readers;
  }

  /**
   * At most {@link #OUTPUT_MAX} bytes of the script's stdout, or empty when it did not complete
   * with status 0 within 10 s. The sandbox's image supplies the shell.
   */
  Optional<String> run(String sandboxId, List<String> argv) {
    try (var out = new CappedOutput(OUTPUT_MAX);
        var watch = PodExecSockets.open(client, sandboxId, argv, null, out, null, readers)) {
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

  /**
   * Sends signal to an exec's processes: how many were left to signal, or empty when the pod was
   * not reached (or answered something that is not a count).
   */
  OptionalInt signal(String sandboxId, String execId, String signal) {
    var text = run(sandboxId, ExecScripts.kill(execId, signal));
    if (text.isEmpty()) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(text.get().trim()));
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }
}
