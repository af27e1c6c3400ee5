package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.runtime.EgressPolicy;
import dev.sbx.controlplane.runtime.NetworkMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a local sandbox was created with, kept in its folder's {@code sandbox.json}.
 *
 * @param id the sandbox's id
 * @param createdAt when it was created
 * @param env environment of every process in it
 * @param allowedHosts hosts it may reach
 * @param disallowedHosts hosts it must not reach
 * @param network none, allowlist or open; absent in sandboxes made before egress was enforced,
 *     which had no network
 */
record SandboxMetadata(
    String id,
    Instant createdAt,
    Map<String, String> env,
    List<String> allowedHosts,
    List<String> disallowedHosts,
    @Nullable String network) {

  EgressPolicy egress() {
    return new EgressPolicy(
        network == null ? NetworkMode.NONE : NetworkMode.parse(network),
        allowedHosts,
        disallowedHosts);
  }

  SandboxMetadata with(EgressPolicy policy) {
    return new SandboxMetadata(
        id, createdAt, env, policy.allowedHosts(), policy.disallowedHosts(), policy.mode().value());
  }
}
