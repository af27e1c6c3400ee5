package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.config.SandboxConfig;
import dev.sbx.controlplane.metrics.SandboxMetrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** The event log of every sandbox, made on first use and freed when the sandbox is deleted. */
@Component
public class EventLogs {

  private final Map<String, EventLog> logs = new ConcurrentHashMap<>();
  private final int capacity;
  private final long byteCapacity;
  private final SandboxMetrics metrics;

  public EventLogs(SandboxConfig config, SandboxMetrics metrics) {
    this.capacity = config.streamBuffer();
    this.byteCapacity = config.streamBufferBytes();
    this.metrics = metrics;
  }

  /** The sandbox's log; callers make sure the sandbox exists. */
  public EventLog forSandbox(String sandboxId) {
    return logs.computeIfAbsent(
        sandboxId, id -> new EventLog(id, capacity, byteCapacity, metrics::eventsEvicted));
  }

  /** Frees a deleted sandbox's log and tells its subscribers. */
  public void remove(String sandboxId) {
    var log = logs.remove(sandboxId);
    if (log != null) {
      log.close();
    }
  }

  int size() {
    return logs.size();
  }
}
