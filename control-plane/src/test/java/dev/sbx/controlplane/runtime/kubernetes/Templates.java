package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.config.ConfigLoader;
import dev.sbx.controlplane.config.SandboxConfig;
import dev.sbx.controlplane.config.TestBinding;
import dev.sbx.controlplane.runtime.SandboxDefaultsProperties;
import dev.sbx.controlplane.runtime.SandboxSpec;
import dev.sbx.controlplane.runtime.StreamModeProperties;
import dev.sbx.controlplane.testing.Specs;
import java.util.HashMap;

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

  /** The settings the application context would bind from this configuration. */
  static KubernetesSettings settings(SandboxConfig config) {
    return new KubernetesSettings(
        TestBinding.bind(config, KubernetesProperties.class),
        TestBinding.bind(config, SandboxTemplateProperties.class),
        TestBinding.bind(config, SandboxDefaultsProperties.class),
        TestBinding.bind(config, WarmPoolProperties.class),
        TestBinding.bind(config, StreamModeProperties.class));
  }

  /** The templates of this configuration, as the runtime would make them. */
  static SandboxTemplates templates(SandboxConfig config) {
    var settings = settings(config);
    return new SandboxTemplates(
        settings.template(),
        settings.sandbox(),
        ProxySettings.of(settings.kubernetes(), settings.sandbox()));
  }

  static SandboxSpec spec(String id) {
    return Specs.named(id);
  }

  static SandboxSpec spec(String id, SandboxSpec.Storage storage) {
    return Specs.named(id, storage);
  }

  static SandboxTemplate template(String... keyValues) {
    return templates(config(keyValues)).resolve(spec("sbx-a"));
  }
}
