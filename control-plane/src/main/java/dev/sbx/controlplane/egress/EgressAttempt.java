package dev.sbx.controlplane.egress;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * One connection attempt of a sandbox, as the audit keeps it: where to, what was decided and why,
 * and, once it closed, the bytes each way and how long it was open. Its counters are written by the
 * proxy's event loop and read by API requests.
 */
final class EgressAttempt {

  /** How an attempt went. */
  enum Outcome {
    /** The policy allowed it and the proxy connected. */
    ALLOWED,
    /** The policy (or a limit) refused it: the sandbox got 403 or 429. */
    DENIED,
    /** The policy allowed it, but the name did not resolve or the connection failed: 502, 504. */
    FAILED;

    String value() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final String sandboxId;
  private final Instant time;
  private final String method;
  private final String host;
  private final int port;
  private final long startedNanos = System.nanoTime();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private volatile @Nullable InetAddress address;
  private volatile Outcome outcome = Outcome.DENIED;
  private volatile String reason = "pending";
  private volatile @Nullable Duration duration;

  /**
   * @param method CONNECT, or the method of a plain HTTP request (GET...)
   */
  EgressAttempt(String sandboxId, Clock clock, String method, String host, int port) {
    this.sandboxId = sandboxId;
    this.time = clock.instant();
    this.method = method;
    this.host = host;
    this.port = port;
  }

  void decided(Outcome outcome, @Nullable InetAddress address, String reason) {
    this.outcome = outcome;
    this.address = address;
    this.reason = reason;
  }

  void sent(long bytes) {
    sent.addAndGet(bytes);
  }

  void received(long bytes) {
    received.addAndGet(bytes);
  }

  /** Marks it closed; only the first call counts. */
  synchronized boolean closed() {
    if (duration != null) {
      return false;
    }
    duration = Duration.ofNanos(System.nanoTime() - startedNanos);
    return true;
  }

  String sandboxId() {
    return sandboxId;
  }

  Outcome outcome() {
    return outcome;
  }

  String reason() {
    return reason;
  }

  EgressAttemptView view() {
    var closedAfter = duration;
    var resolved = address;
    return new EgressAttemptView(
        time,
        method,
        host,
        port,
        resolved == null ? null : resolved.getHostAddress(),
        outcome.value(),
        reason,
        sent.get(),
        received.get(),
        closedAfter == null ? null : closedAfter.toMillis(),
        closedAfter == null);
  }
}
