package dev.sbx.controlplane.sandbox;

import dev.sbx.controlplane.runtime.EgressPolicy;
import java.util.List;

/**
 * A sandbox's egress policy as the API shows it, and what {@code PATCH /sandboxes/{id}} answers.
 *
 * @param id the sandbox's id
 * @param network none, allowlist or open
 * @param allowedHosts hosts it may reach
 * @param disallowedHosts hosts it must not reach, whatever the mode
 */
public record NetworkView(
    String id, String network, List<String> allowedHosts, List<String> disallowedHosts) {

  static NetworkView of(String id, EgressPolicy policy) {
    return new NetworkView(
        id, policy.mode().value(), policy.allowedHosts(), policy.disallowedHosts());
  }
}
