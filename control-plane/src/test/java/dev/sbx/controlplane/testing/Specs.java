package dev.sbx.controlplane.testing;

import dev.sbx.controlplane.runtime.NetworkMode;
import dev.sbx.controlplane.runtime.Resources;
import dev.sbx.controlplane.runtime.SandboxSpec;
import dev.sbx.controlplane.sandbox.SandboxIds;
import java.util.List;
import java.util.Map;

/** Fixtures: the specs of creates that ask for nothing beyond what a test names. */
public final class Specs {

  private Specs() {}

  /** A sandbox the request names, with the default storage and nothing else. */
  public static SandboxSpec named(String id) {
    return named(id, SandboxSpec.Storage.DEFAULT);
  }

  public static SandboxSpec named(String id, SandboxSpec.Storage storage) {
    return new SandboxSpec(id, Map.of(), null, null, List.of(), List.of(), storage, true);
  }

  /** A named sandbox with these limits and no network. */
  public static SandboxSpec named(String id, Resources resources) {
    return new SandboxSpec(
        id,
        Map.of(),
        null,
        null,
        List.of(),
        List.of(),
        SandboxSpec.Storage.DEFAULT,
        true,
        NetworkMode.NONE,
        resources);
  }

  /** A sandbox whose id the server picks, as a warm pool can serve. */
  public static SandboxSpec unnamed() {
    return unnamed(SandboxSpec.Storage.DEFAULT);
  }

  public static SandboxSpec unnamed(SandboxSpec.Storage storage) {
    return new SandboxSpec(
        SandboxIds.generate(), Map.of(), null, null, List.of(), List.of(), storage, false);
  }
}
