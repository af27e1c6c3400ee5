package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.config.ConfigLoader;
import dev.sbx.controlplane.config.SandboxConfig;
import dev.sbx.controlplane.runtime.SandboxSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Fixtures: configurations and specs for the Kubernetes runtime's tests. */
final class Templates {

  private Templates() {}

  static SandboxConfig config(String... keyValues) {
    var env = new HashMap<String, String>();
    env.put("SANDBOX_RUNTIME", "kubernetes");
    for (int i = 0; i < keyValues.length; i += 2) {
      env.put(keyValues[i], keyValues[i + 1]);
    }
    return ConfigLoader.load(env);
  }

  static SandboxSpec spec(String id) {
    return new SandboxSpec(
        id, Map.of(), null, null, List.of(), List.of(), SandboxSpec.Storage.DEFAULT, true);
  }

  static SandboxSpec spec(String id, SandboxSpec.Storage storage) {
    return new SandboxSpec(id, Map.of(), null, null, List.of(), List.of(), storage, true);
  }

  static SandboxTemplate template(String... keyValues) {
    return new SandboxTemplates(config(keyValues)).resolve(spec("sbx-a"));
  }
}
