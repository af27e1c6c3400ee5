package dev.sbx.controlplane.egress;

import dev.sbx.controlplane.runtime.EgressPolicy;
import dev.sbx.controlplane.runtime.HostEntry;
import dev.sbx.controlplane.runtime.NetworkMode;
import java.net.InetAddress;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Decides one connection attempt from a sandbox's policy. Names are decided before they are
 * resolved where the name alone settles it (so a refused name costs no DNS query); everything else
 * is decided on the addresses the proxy resolved, which are the ones it then connects to, so a name
 * that resolves to a forbidden address is refused whatever it claims (DNS rebinding).
 */
final class EgressRules {

  private final ForbiddenRanges forbidden;

  EgressRules(ForbiddenRanges forbidden) {
    this.forbidden = forbidden;
  }

  /** The decision when the name settles it, or null when the addresses must be known. */
  @Nullable Decision beforeResolving(EgressPolicy policy, Target target) {
    if (policy.mode() == NetworkMode.NONE) {
      return Decision.deny(null, "network is none");
    }
    if (target.isAddress()) {
      return null;
    }
    for (var entry : policy.disallowed()) {
      if (entry.matchesName(target.host(), target.port())) {
        return Decision.deny(null, "disallowed_hosts: " + entry);
      }
    }
    if (policy.mode() == NetworkMode.ALLOWLIST
        && nameEntry(policy.allowed(), target) == null
        && policy.allowed().stream().noneMatch(EgressRules::isAddressEntry)) {
      return Decision.deny(null, "not in allowed_hosts");
    }
    return null;
  }

  /**
   * The decision on the resolved addresses: the first one the policy lets through, or the refusal
   * of the first one.
   */
  Decision afterResolving(EgressPolicy policy, Target target, List<InetAddress> addresses) {
    var early = beforeResolving(policy, target);
    if (early != null) {
      return early;
    }
    var allowed = policy.allowed();
    var disallowed = policy.disallowed();
    Decision firstRefusal = null;
    for (var address : addresses) {
      var decision = decide(policy.mode(), allowed, disallowed, target, address);
      if (decision.allowed()) {
        return decision;
      }
      if (firstRefusal == null) {
        firstRefusal = decision;
      }
    }
    return firstRefusal != null ? firstRefusal : Decision.deny(null, "no address");
  }

  private Decision decide(
      NetworkMode mode,
      List<HostEntry> allowed,
      List<HostEntry> disallowed,
      Target target,
      InetAddress address) {
    for (var entry : disallowed) {
      if (entry.matchesAddress(address, target.port())) {
        return Decision.deny(address, "disallowed_hosts: " + entry);
      }
    }
    var refusal = forbidden.refusal(address, target.port(), allowed);
    if (refusal != null) {
      return Decision.deny(address, address.getHostAddress() + " is " + refusal);
    }
    if (mode == NetworkMode.OPEN) {
      return Decision.allow(address, "open");
    }
    var byName = nameEntry(allowed, target);
    if (byName != null) {
      return Decision.allow(address, "allowed_hosts: " + byName);
    }
    for (var entry : allowed) {
      if (entry.matchesAddress(address, target.port())) {
        return Decision.allow(address, "allowed_hosts: " + entry);
      }
    }
    return Decision.deny(address, "not in allowed_hosts");
  }

  private static @Nullable HostEntry nameEntry(List<HostEntry> entries, Target target) {
    if (target.isAddress()) {
      return null;
    }
    for (var entry : entries) {
      if (entry.matchesName(target.host(), target.port())) {
        return entry;
      }
    }
    return null;
  }

  private static boolean isAddressEntry(HostEntry entry) {
    return entry.kind() == HostEntry.Kind.ADDRESS || entry.kind() == HostEntry.Kind.RANGE;
  }
}
