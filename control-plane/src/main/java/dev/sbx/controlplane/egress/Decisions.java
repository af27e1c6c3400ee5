package dev.sbx.controlplane.egress;

import dev.sbx.controlplane.runtime.Addresses;
import java.net.UnknownHostException;
import java.util.List;

/** One attempt decided: the caller's policy now, then the rules, on resolved addresses. */
final class Decisions {

  private Decisions() {}

  /** Runs on the resolver's threads when a name must be resolved, else on the event loop. */
  static Decision decide(ProxyContext context, String sandboxId, Target target) {
    var policy = context.policies().policy(sandboxId);
    if (policy.isEmpty()) {
      return Decision.deny(null, "unknown sandbox");
    }
    var byName = context.rules().beforeResolving(policy.get(), target);
    if (byName != null) {
      return byName;
    }
    try {
      var addresses =
          target.isAddress()
              ? List.of(Addresses.address(target.literal()))
              : context.resolver().lookup(target.host());
      return context.rules().afterResolving(policy.get(), target, addresses);
    } catch (UnknownHostException e) {
      return Decision.failure("cannot resolve " + target.host());
    }
  }
}
