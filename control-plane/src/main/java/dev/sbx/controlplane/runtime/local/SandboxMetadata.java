package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.runtime.EgressPolicy;
import dev.sbx.controlplane.runtime.NetworkMode;
import dev.sbx.controlplane.runtime.Resources;
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
 * @param resources the limits it runs under; null in the files of sandboxes made before limits
 *     existed, which get the configured ones
 * @param hostUid the host uid (and gid) it runs as, its own, when the control plane runs as root;
 *     null otherwise, and in sandboxes made before each had one
 */
record SandboxMetadata(
    String id,
    Instant createdAt,
    Map<String, String> env,
    List<String> allowedHosts,
    List<String> disallowedHosts,
    @Nullable String network,
    @Nullable Resources resources,
    @Nullable Integer hostUid) {

  EgressPolicy egress() {
    return new EgressPolicy(
        network == null ? NetworkMode.NONE : NetworkMode.parse(network),
        allowedHosts,
        disallowedHosts);
  }

  SandboxMetadata with(EgressPolicy policy) {
    return new SandboxMetadata(
        id,
        createdAt,
        env,
        policy.allowedHosts(),
        policy.disallowedHosts(),
        policy.mode().value(),
        resources,
        hostUid);
  }

  /** This, created at {@code when}: a warm pool spare is created when a create takes it. */
  SandboxMetadata createdAt(Instant when) {
    return new SandboxMetadata(
        id, when, env, allowedHosts, disallowedHosts, network, resources, hostUid);
  }

  /** This, with {@code configured} as its limits if it has none. */
  SandboxMetadata withLimitsOr(Resources configured) {
    return resources != null
        ? this
        : new SandboxMetadata(
            id, createdAt, env, allowedHosts, disallowedHosts, network, configured, hostUid);
  }

  /** This, running as that host user. */
  SandboxMetadata runningAs(HostUser user) {
    return new SandboxMetadata(
        id, createdAt, env, allowedHosts, disallowedHosts, network, resources, user.uid());
  }

  /** The host user it runs as when that is not the control plane's. */
  @Nullable HostUser user() {
    return hostUid == null ? null : new HostUser(hostUid, hostUid);
  }

  /** The limits it runs under. */
  Resources limits() {
    return resources != null ? resources : Resources.NONE;
  }
}
