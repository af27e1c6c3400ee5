package dev.sbx.controlplane.peers;

import dev.sbx.controlplane.runtime.ReplicaSource;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Replicas listed by hand ({@code SANDBOX_PEERS}), for setups without a Service to watch. Each
 * other replica's {@code /healthz} is asked every {@link #INTERVAL}; one that fails {@link
 * #FAILURES} times in a row drops out (so a dead one is gone within about 4 s) and one that answers
 * again comes back. This replica counts as alive while it runs.
 */
final class StaticReplicas implements ReplicaSource {

  static final Duration INTERVAL = Duration.ofSeconds(2);
  static final int FAILURES = 2;
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

  private final String self;
  private final List<String> peers;
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(PROBE_TIMEOUT)
          .version(HttpClient.Version.HTTP_1_1)
          .build();
  private final ScheduledExecutorService probes =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            var thread = new Thread(r, "sbx-peer-probes");
            thread.setDaemon(true);
            return thread;
          });
  private volatile Set<String> ready;

  StaticReplicas(String self, List<String> peers) {
    this.self = self;
    this.peers = peers.stream().map(String::trim).filter(p -> !p.equals(self)).toList();
    // Until the first round says otherwise, every listed replica counts: a replica starting
    // beside running ones must not take all their sandboxes for a moment.
    this.ready = all();
    probes.scheduleWithFixedDelay(this::probe, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public Set<String> ready() {
    return ready;
  }

  @Override
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  private void probe() {
    for (var peer : peers) {
      boolean up;
      try {
        var answer =
            http.send(
                HttpRequest.newBuilder(PeerAddress.base(peer).resolve("/healthz"))
                    .timeout(PROBE_TIMEOUT)
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        up = answer.statusCode() == 200;
      } catch (java.io.IOException e) {
        up = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      failures.merge(peer, up ? 0 : 1, (was, now) -> now == 0 ? 0 : was + 1);
    }
    var now = new TreeSet<String>();
    now.add(self);
    for (var peer : peers) {
      if (failures.getOrDefault(peer, 0) < FAILURES) {
        now.add(peer);
      }
    }
    if (!now.equals(ready)) {
      ready = Set.copyOf(now);
      listeners.forEach(Runnable::run);
    }
  }

  private Set<String> all() {
    var all = new TreeSet<>(peers);
    all.add(self);
    return Set.copyOf(all);
  }

  @Override
  public void close() {
    probes.shutdownNow();
  }
}
