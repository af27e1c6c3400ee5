package dev.sbx.controlplane.runtime.local;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a local sandbox was created with, kept in its folder's {@code sandbox.json}.
 *
 * @param id the sandbox's id
 * @param createdAt when it was created
 * @param env environment of every process in it
 * @param allowedHosts hosts it may reach (recorded; the local runtime has no egress filter)
 * @param disallowedHosts hosts it must not reach (recorded, likewise)
 */
record SandboxMetadata(
    String id,
    Instant createdAt,
    Map<String, String> env,
    List<String> allowedHosts,
    List<String> disallowedHosts) {}
