package dev.sbx.controlplane.egress;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One connection attempt as {@code GET /sandboxes/{id}/egress} shows it.
 *
 * @param time when the sandbox asked
 * @param method CONNECT (TLS or any TCP), or the plain HTTP request's method
 * @param host the name or address the sandbox asked for
 * @param port the port it asked for
 * @param address the address the proxy resolved and connected to (or refused), when there was one
 * @param decision allowed, denied (by the policy or a limit) or failed (allowed, but the name did
 *     not resolve or the connection failed)
 * @param reason what decided it: the entry that allowed or refused it, the forbidden range, or the
 *     error
 * @param bytesSent bytes from the sandbox to the host so far
 * @param bytesReceived bytes from the host to the sandbox so far
 * @param durationMs how long the connection was open, once it closed
 * @param open whether it is still open
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EgressAttemptView(
    Instant time,
    String method,
    String host,
    int port,
    @Nullable String address,
    String decision,
    String reason,
    long bytesSent,
    long bytesReceived,
    @Nullable Long durationMs,
    boolean open) {}
