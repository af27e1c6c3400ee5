package dev.sbx.controlplane.sandbox;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code PATCH /sandboxes/{id}}: what the sandbox may reach from its next connection
 * on. A field left out keeps its value; {@code allowed_hosts} without {@code network} turns a
 * sandbox whose network is {@code none} into an {@code allowlist} one.
 *
 * @param network none, allowlist or open
 * @param allowedHosts the new allowed hosts, replacing the old list
 * @param disallowedHosts the new disallowed hosts, replacing the old list
 */
public record UpdateSandboxRequest(
    @Nullable String network,
    @Nullable List<String> allowedHosts,
    @Nullable List<String> disallowedHosts) {}
