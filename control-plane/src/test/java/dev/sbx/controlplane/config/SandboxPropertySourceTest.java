package dev.sbx.controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sbx.controlplane.runtime.NetworkMode;
import dev.sbx.controlplane.runtime.Resources;
import dev.sbx.controlplane.runtime.SandboxDefaultsProperties;
import dev.sbx.controlplane.runtime.StreamModeProperties;
import dev.sbx.controlplane.runtime.kubernetes.WarmPoolProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.unit.DataSize;

class SandboxPropertySourceTest {

  @TempDir Path dir;

  @Test
  void aPropertyShouldComeFromTheVariableElseTheFileElseTheTable() throws IOException {
    var env =
        environment(
            Map.of("SANDBOX_STREAM_BUFFER", "7"), "stream_buffer: 5\nexec_kill_grace: 1m30s\n");
    assertThat(env.getProperty("sandbox.stream-buffer")).isEqualTo("7");
    assertThat(env.getProperty("sandbox.exec-kill-grace")).isEqualTo("PT1M30S");
    assertThat(env.getProperty("sandbox.exec-max-running")).isEqualTo("32");
    assertThat(env.getProperty("sandbox.runtime")).isEqualTo("local");
  }

  @Test
  void theBinderShouldReadGoDurationsAndSizesAsTheirTypes() throws IOException {
    var env =
        environment(
            Map.of("SANDBOX_EXEC_MAX_OUTPUT", "2MiB", "SANDBOX_CPU_LIMIT", "none"),
            "exec_timeout: 1h30m\n");
    var binder = Binder.get(env);
    assertThat(binder.bind("sandbox.exec-timeout", Duration.class).get())
        .isEqualTo(Duration.ofMinutes(90));
    assertThat(binder.bind("sandbox.exec-max-output", DataSize.class).get())
        .isEqualTo(DataSize.ofMegabytes(2));
    assertThat(
            binder.bindOrCreate("sandbox", SandboxDefaultsProperties.class).resources().cpuMillis())
        .isNull();
  }

  @Test
  void whenWarmPoolKeysAreSetTheBinderShouldReadThemIntoTheWarmPoolRecord() throws IOException {
    var env =
        environment(
            Map.of("SANDBOX_WARM_POOL_SIZE", "3", "SANDBOX_IDLE_TTL", "2h"),
            "warm_pool_autosize: true\nwarm_control_namespace: lease-ns\n");
    var pool = Binder.get(env).bindOrCreate("sandbox", WarmPoolProperties.class);
    assertThat(pool)
        .isEqualTo(
            new WarmPoolProperties(
                3, true, 0, 0, Duration.ofHours(2), "lease-ns", Duration.ofSeconds(60)));
  }

  @Test
  void whenTheStreamModeIsSidecarTheBinderShouldReadItAsTheEnumValue() throws IOException {
    var sidecar =
        Binder.get(environment(Map.of("SANDBOX_STREAM_MODE", "sidecar"), ""))
            .bindOrCreate("sandbox", StreamModeProperties.class);
    assertThat(sidecar.streamMode()).isEqualTo(StreamModeProperties.Mode.SIDECAR);
    assertThat(sidecar.streamEventsDir()).isEqualTo("/sbx-events");
    var byDefault =
        Binder.get(environment(Map.of(), "")).bindOrCreate("sandbox", StreamModeProperties.class);
    assertThat(byDefault.streamMode()).isEqualTo(StreamModeProperties.Mode.CONTROL_PLANE);
    assertThat(byDefault.sidecar()).isFalse();
  }

  @Test
  void theSandboxesEnvironmentShouldBindWithItsNamesCaseKeptAndTheVariablesOverTheFile()
      throws IOException {
    var env =
        environment(
            Map.of("SANDBOX_ENV_GoPath", "/go", "SANDBOX_ENV_LANG", "C.UTF-8"),
            "env:\n  LANG: en_US.UTF-8\n  TZ: UTC\nallowed_hosts: [pypi.org, \"*.npmjs.org\"]\n");
    var defaults = Binder.get(env).bindOrCreate("sandbox", SandboxDefaultsProperties.class);
    assertThat(defaults.env())
        .containsExactlyEntriesOf(
            new TreeMap<>(Map.of("GoPath", "/go", "LANG", "C.UTF-8", "TZ", "UTC")));
    assertThat(defaults.allowedHosts()).containsExactly("pypi.org", "*.npmjs.org");
    assertThat(defaults.disallowedHosts()).isEmpty();
    assertThat(defaults.networkMode()).isEqualTo(NetworkMode.ALLOWLIST);
    assertThat(defaults.resources()).isEqualTo(new Resources(1000L, 1L << 30, 512L, 2L << 30));
  }

  @Test
  void anInvalidNameInTheSandboxesEnvironmentShouldFailInOneLineNamingIt() throws IOException {
    var env = environment(Map.of("SANDBOX_ENV_1X", "y"), "");
    assertThatThrownBy(
            () -> Binder.get(env).bindOrCreate("sandbox", SandboxDefaultsProperties.class))
        .hasRootCauseInstanceOf(InvalidConfigException.class)
        .rootCause()
        .hasMessage("SANDBOX_ENV_1X: \"1X\" is not a valid environment variable name");
  }

  @Test
  void aBadValueShouldFailInOneLineNamingWhereItCameFrom() throws IOException {
    var env = environment(Map.of("SANDBOX_STREAM_BUFFER", "lots"), "exec_kill_grace: soon\n");
    assertThatThrownBy(() -> env.getProperty("sandbox.stream-buffer"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("SANDBOX_STREAM_BUFFER=\"lots\": \"lots\" is not a whole number");
    assertThatThrownBy(() -> env.getProperty("sandbox.exec-kill-grace"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("exec_kill_grace in " + dir.resolve("config.yaml"));
  }

  @Test
  void anUnknownKeyInTheFileShouldFailNamingIt() throws IOException {
    var env = environment(Map.of(), "stream_bufer: 5\n");
    assertThatThrownBy(() -> env.getProperty("sandbox.stream-buffer"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("unknown key stream_bufer");
  }

  private StandardEnvironment environment(Map<String, Object> variables, String yaml)
      throws IOException {
    var file = Files.writeString(dir.resolve("config.yaml"), yaml);
    var env = new StandardEnvironment();
    var all = new HashMap<>(variables);
    all.put("SANDBOX_CONFIG", file.toString());
    // As the process's environment: Spring maps sandbox.exec-max-output to SANDBOX_EXEC_MAX_OUTPUT
    // in this source by itself.
    env.getPropertySources()
        .replace(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, all));
    new SandboxEnvironmentPostProcessor().postProcessEnvironment(env, null);
    ConfigurationPropertySources.attach(env);
    return env;
  }
}
