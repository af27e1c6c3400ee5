package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.config.SandboxConfig;
import dev.sbx.controlplane.config.TestBinding;
import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.runtime.SandboxDefaultsProperties;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/** Opens local runtimes with the settings the application context would bind, without one. */
final class TestLocalRuntimes {

  private TestLocalRuntimes() {}

  static LocalRuntime open(SandboxConfig config) {
    return open(config, null);
  }

  /** A runtime whose sandboxes start with this script under bash; null for the shipped sbx-init. */
  static LocalRuntime open(SandboxConfig config, byte @Nullable [] initScript) {
    return LocalRuntimeFactory.open(
        TestBinding.bind(config, LocalProperties.class),
        defaults(config),
        JsonMapper.builder().build(),
        System.getenv(),
        initScript);
  }

  /** An exec of this command in / with no env of its own and a fresh id. */
  static ExecSpec execSpec(String... command) {
    return new ExecSpec(Long.toHexString(System.nanoTime()), List.of(command), Map.of(), "/", null);
  }

  static SandboxDefaultsProperties defaults(SandboxConfig config) {
    return TestBinding.bind(config, SandboxDefaultsProperties.class);
  }
}
