package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.sandbox.SandboxIds;
import org.springframework.stereotype.Component;

/** Makes exec ids: 16 random lowercase hex characters, as the original. */
@Component
public class ExecIds {

  public String next() {
    return SandboxIds.randomHex(8);
  }
}
