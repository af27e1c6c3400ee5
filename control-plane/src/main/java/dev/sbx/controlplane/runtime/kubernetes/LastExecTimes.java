package dev.sbx.controlplane.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When commands last started or ended in each sandbox, kept in the namespace annotation {@code
 * sbx.last_exec_at} (Unix seconds) so that it survives a restart. Writes are batched every few
 * seconds off the request path: an exec costs no API write of its own.
 */
final class LastExecTimes implements AutoCloseable {

  private static final Logger logger = LoggerFactory.getLogger(LastExecTimes.class);
  static final Duration FLUSH_INTERVAL = Duration.ofSeconds(5);
  static final Duration HEARTBEAT = Duration.ofMinutes(1);

  private final KubernetesClient client;
  private final Map<String, Instant> unwritten = new ConcurrentHashMap<>();
  private final Map<String, Instant> latest = new ConcurrentHashMap<>();
  private final ScheduledExecutorService flusher =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            var t = new Thread(r, "sbx-last-exec");
            t.setDaemon(true);
            return t;
          });

  LastExecTimes(KubernetesClient client) {
    this.client = client;
    flusher.scheduleWithFixedDelay(
        this::flush, FLUSH_INTERVAL.toMillis(), FLUSH_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Counts sandboxes with a running exec as used, once a minute: the reaper, perhaps in another
   * replica, reads the annotation and must not take them for idle.
   */
  void keepAlive(Supplier<Collection<String>> busy) {
    flusher.scheduleWithFixedDelay(
        () -> busy.get().forEach(id -> record(id, Instant.now())),
        HEARTBEAT.toMillis(),
        HEARTBEAT.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  void record(String sandboxId, Instant when) {
    latest.merge(sandboxId, when, (a, b) -> a.isAfter(b) ? a : b);
    unwritten.merge(sandboxId, when, (a, b) -> a.isAfter(b) ? a : b);
  }

  /** The newest time known, from this process or from the namespace's annotation. */
  @Nullable Instant get(String sandboxId, @Nullable Namespace namespace) {
    var recorded = latest.get(sandboxId);
    var annotated = annotation(namespace);
    if (recorded == null) {
      return annotated;
    }
    return annotated != null && annotated.isAfter(recorded) ? annotated : recorded;
  }

  void forget(String sandboxId) {
    latest.remove(sandboxId);
    unwritten.remove(sandboxId);
  }

  void flush() {
    for (var sandboxId : unwritten.keySet()) {
      var when = unwritten.remove(sandboxId);
      if (when == null) {
        continue;
      }
      try {
        client
            .namespaces()
            .withName(sandboxId)
            .patch(
                PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\""
                    + Labels.LAST_EXEC_AT
                    + "\":\""
                    + when.getEpochSecond()
                    + "\"}}}");
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          unwritten.merge(sandboxId, when, (a, b) -> a.isAfter(b) ? a : b);
          logger.debug("could not record the last exec of {}: {}", sandboxId, e.getMessage());
        }
      }
    }
  }

  private static @Nullable Instant annotation(@Nullable Namespace namespace) {
    if (namespace == null || namespace.getMetadata().getAnnotations() == null) {
      return null;
    }
    var value = namespace.getMetadata().getAnnotations().get(Labels.LAST_EXEC_AT);
    try {
      long seconds = value == null ? 0 : Long.parseLong(value);
      return seconds > 0 ? Instant.ofEpochSecond(seconds) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public void close() {
    flusher.shutdownNow();
    flush();
  }
}
