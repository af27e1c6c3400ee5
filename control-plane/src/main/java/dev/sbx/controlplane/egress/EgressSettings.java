package dev.sbx.controlplane.egress;

import dev.sbx.controlplane.runtime.HostEntry;
import java.time.Duration;
import java.util.List;

/**
 * The egress proxy's limits.
 *
 * @param maxConnections connections one sandbox may have open at once; more are refused (429)
 * @param idleTimeout a connection with no byte either way for this long is closed
 * @param connectTimeout longest time to resolve a name and connect to it (then 504)
 * @param headTimeout longest time a sandbox may take to send its request line and headers
 * @param allowPrivate addresses and ranges usable despite the forbidden ranges
 * @param auditSize attempts kept per sandbox for {@code GET /sandboxes/{id}/egress}
 */
record EgressSettings(
    int maxConnections,
    Duration idleTimeout,
    Duration connectTimeout,
    Duration headTimeout,
    List<HostEntry> allowPrivate,
    int auditSize) {

  static final int AUDIT_SIZE = 1000;
}
