package dev.sbx.controlplane.sandbox;

import dev.sbx.controlplane.runtime.SandboxIdSource;
import org.springframework.stereotype.Component;

/** Gives the runtimes generated sandbox ids, {@code sbx-<12 hex>}. */
@Component
class GeneratedSandboxIds implements SandboxIdSource {

  @Override
  public String newId() {
    return SandboxIds.generate();
  }
}
