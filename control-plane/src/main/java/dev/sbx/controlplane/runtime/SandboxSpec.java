package dev.sbx.controlplane.runtime;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a new sandbox should be, after defaults and the request have been merged.
 *
 * @param id the sandbox's full id ({@code sbx-...})
 * @param env environment of every process in the sandbox, sorted by name
 * @param image container image; only a container runtime can honour it
 * @param command the sandbox's main command; only a container runtime can honour it
 * @param allowedHosts hosts the sandbox may reach
 * @param disallowedHosts hosts the sandbox must not reach
 */
public record SandboxSpec(
    String id,
    Map<String, String> env,
    @Nullable String image,
    @Nullable List<String> command,
    List<String> allowedHosts,
    List<String> disallowedHosts) {}
