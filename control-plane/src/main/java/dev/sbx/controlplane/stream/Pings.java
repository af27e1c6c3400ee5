package dev.sbx.controlplane.stream;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.TaskScheduler;

/**
 * Pings a handler's open sockets at the stream ping interval while the handler runs, so that idle
 * ones (a stream waiting for output, a shell waiting for a key) stay open through proxies.
 */
final class Pings {

  private final TaskScheduler scheduler;
  private final Duration interval;
  private final Runnable pingAll;
  private volatile @Nullable ScheduledFuture<?> scheduled;

  Pings(TaskScheduler scheduler, StreamProperties properties, Runnable pingAll) {
    this.scheduler = scheduler;
    this.interval = Duration.ofMillis(Math.max(1, properties.streamPingInterval().toMillis()));
    this.pingAll = pingAll;
  }

  void start() {
    scheduled = scheduler.scheduleAtFixedRate(pingAll, Instant.now().plus(interval), interval);
  }

  void stop() {
    var current = scheduled;
    if (current != null) {
      current.cancel(false);
    }
    scheduled = null;
  }

  boolean running() {
    return scheduled != null;
  }
}
