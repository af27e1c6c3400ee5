package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.config.SandboxConfig;
import dev.sbx.controlplane.metrics.SandboxMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The event log of every sandbox, made on first use and freed when the sandbox is deleted, with the
 * folder where each keeps its execs' output.
 */
@Component
public class EventLogs implements DisposableBean {

  private final Map<String, EventLog> logs = new ConcurrentHashMap<>();
  private final int capacity;
  private final long byteCapacity;
  private final long storeBudget;
  private final Path storeRoot;
  private final boolean temporary;
  private final SandboxMetrics metrics;

  public EventLogs(SandboxConfig config, SandboxMetrics metrics, ExecRegistry registry) {
    this.capacity = config.streamBuffer();
    this.byteCapacity = config.streamBufferBytes();
    this.storeBudget = config.streamStoreBytes();
    this.metrics = metrics;
    var configured = config.streamStoreDir();
    this.temporary = configured == null;
    try {
      if (configured == null) {
        storeRoot = Files.createTempDirectory("sbx-output-");
      } else {
        // A folder of our own inside the one configured: what a previous run kept there is
        // cleared, as nothing refers to it any more, and nothing else there is touched.
        storeRoot = configured.resolve("sbx-output");
        OutputStore.deleteFolder(storeRoot);
        Files.createDirectories(storeRoot);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make the folder for exec output", e);
    }
    registry.whenForgotten(this::forget);
  }

  /** The sandbox's log; callers make sure the sandbox exists. */
  public EventLog forSandbox(String sandboxId) {
    return logs.computeIfAbsent(
        sandboxId,
        id ->
            new EventLog(
                id,
                capacity,
                byteCapacity,
                metrics::eventsEvicted,
                new OutputStore(storeRoot.resolve(id), id, storeBudget)));
  }

  /** Frees a deleted sandbox's log and tells its subscribers. */
  public void remove(String sandboxId) {
    var log = logs.remove(sandboxId);
    if (log != null) {
      log.close();
    }
  }

  /** An exec's status is no longer retained: neither is its output. */
  private void forget(String sandboxId, String execId) {
    var log = logs.get(sandboxId);
    if (log != null) {
      log.forget(execId);
    }
  }

  int size() {
    return logs.size();
  }

  @Override
  public void destroy() {
    if (temporary) {
      OutputStore.deleteFolder(storeRoot);
    }
  }
}
