package dev.sbx.controlplane.egress;

import dev.sbx.controlplane.runtime.EgressPolicy;
import java.util.Optional;

/** A sandbox's egress policy now, or empty when there is no such sandbox. */
@FunctionalInterface
interface PolicySource {
  Optional<EgressPolicy> policy(String sandboxId);
}
