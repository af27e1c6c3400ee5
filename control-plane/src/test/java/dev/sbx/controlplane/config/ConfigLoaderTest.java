package dev.sbx.controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path dir;

  @Test
  void loadWhenNothingIsSetShouldUseTheOriginalDefaults() {
    var config = ConfigLoader.load(Map.of());
    assertThat(config.runtime()).isEqualTo("local");
    assertThat(config.value(ConfigKey.STREAM_BUFFER)).isEqualTo(200);
    assertThat(config.value(ConfigKey.USE_ASYNC_EXEC)).isEqualTo(false);
    assertThat(config.apiToken()).isNull();
    assertThat(config.text(ConfigKey.IMAGE)).isEqualTo("ubuntu:22.04");
    assertThat(config.duration(ConfigKey.IDLE_TTL)).isEqualTo(Duration.ofMinutes(15));
    assertThat(config.env()).isEmpty();
    assertThat(config.value(ConfigKey.ALLOWED_HOSTS)).isEqualTo(List.of());
  }

  @Test
  void loadWhenBothSetShouldPreferTheEnvironmentOverTheFile() throws IOException {
    var file = write("stream_buffer: 50\nuse_async_exec: true\nimage: from-file\n");
    var config =
        ConfigLoader.load(Map.of("SANDBOX_CONFIG", file.toString(), "SANDBOX_STREAM_BUFFER", "75"));
    assertThat(config.value(ConfigKey.STREAM_BUFFER)).isEqualTo(75);
    assertThat(config.value(ConfigKey.USE_ASYNC_EXEC)).isEqualTo(true);
    assertThat(config.text(ConfigKey.IMAGE)).isEqualTo("from-file");
    assertThat(config.configFile()).isEqualTo(file);
  }

  @Test
  void loadWhenEnvIsFalseShouldOverrideTrueInTheFile() throws IOException {
    var file = write("use_async_exec: true\n");
    var config =
        ConfigLoader.load(Map.of("SANDBOX_CONFIG", file.toString(), "SANDBOX_USE_ASYNC_EXEC", "0"));
    assertThat(config.value(ConfigKey.USE_ASYNC_EXEC)).isEqualTo(false);
  }

  @Test
  void loadWhenEnvValueIsBadShouldNameTheVariable() {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SANDBOX_STREAM_BUFFER", "lots")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("SANDBOX_STREAM_BUFFER")
        .hasMessageContaining("lots");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SANDBOX_USE_ASYNC_EXEC", "maybe")))
        .hasMessageContaining("SANDBOX_USE_ASYNC_EXEC");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SANDBOX_RUNTIME", "docker")))
        .hasMessageContaining("SANDBOX_RUNTIME")
        .hasMessageContaining("local, kubernetes");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SANDBOX_IDLE_TTL", "soon")))
        .hasMessageContaining("SANDBOX_IDLE_TTL");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SANDBOX_STREAM_BUFFER", "0")))
        .hasMessageContaining("SANDBOX_STREAM_BUFFER");
  }

  @Test
  void loadWhenFileValueIsBadShouldNameTheKeyAndTheFile() throws IOException {
    var file = write("stream_buffer: lots\n");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SANDBOX_CONFIG", file.toString())))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("stream_buffer in " + file)
        .hasMessageContaining("lots");
  }

  @Test
  void loadWhenFileHasAnUnknownKeyShouldNameIt() throws IOException {
    var file = write("stream_bufer: 10\n");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SANDBOX_CONFIG", file.toString())))
        .hasMessageContaining("unknown key stream_bufer");
  }

  @Test
  void loadWhenFileIsMissingOrNotYamlShouldSaySo() throws IOException {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SANDBOX_CONFIG", "/nonexistent.yaml")))
        .hasMessageContaining("SANDBOX_CONFIG=/nonexistent.yaml");
    var file = write("image: [unclosed\n");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SANDBOX_CONFIG", file.toString())))
        .hasMessageContaining("not valid YAML");
  }

  @Test
  void loadShouldMergeFileEnvWithSandboxEnvVariablesAndLetVariablesWin() throws IOException {
    var file = write("env:\n  A: from-file\n  B: from-file\n");
    var env = new HashMap<String, String>();
    env.put("SANDBOX_CONFIG", file.toString());
    env.put("SANDBOX_ENV_B", "from-variable");
    env.put("SANDBOX_ENV_NPM_CONFIG_REGISTRY", "http://registry");
    var config = ConfigLoader.load(env);
    assertThat(config.env())
        .containsExactly(
            Map.entry("A", "from-file"),
            Map.entry("B", "from-variable"),
            Map.entry("NPM_CONFIG_REGISTRY", "http://registry"));
  }

  @Test
  void loadShouldReadHostListsFromCsvVariablesAndYamlLists() throws IOException {
    var file = write("allowed_hosts: [pypi.org, github.com]\n");
    var config =
        ConfigLoader.load(
            Map.of(
                "SANDBOX_CONFIG",
                file.toString(),
                "SANDBOX_DISALLOWED_HOSTS",
                " evil.example , ,bad.example"));
    assertThat(config.value(ConfigKey.ALLOWED_HOSTS)).isEqualTo(List.of("pypi.org", "github.com"));
    assertThat(config.value(ConfigKey.DISALLOWED_HOSTS))
        .isEqualTo(List.of("evil.example", "bad.example"));
  }

  @Test
  void loadWhenHostHasASpaceShouldRejectIt() {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SANDBOX_ALLOWED_HOSTS", "a b,c")))
        .hasMessageContaining("SANDBOX_ALLOWED_HOSTS")
        .hasMessageContaining("\"a b\"");
  }

  @Test
  void loadWhenSandboxEnvNameIsInvalidShouldNameIt() {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SANDBOX_ENV_A-B", "x")))
        .hasMessageContaining("SANDBOX_ENV_A-B");
  }

  @Test
  void durationsShouldReadTheOriginalsNotation() {
    assertThat(GoDuration.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(GoDuration.parse("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(GoDuration.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(GoDuration.parse("0")).isEqualTo(Duration.ZERO);
    assertThat(GoDuration.parse("-1s")).isEqualTo(Duration.ofSeconds(-1));
    assertThatThrownBy(() -> GoDuration.parse("15")).hasMessageContaining("not a duration");
    assertThatThrownBy(() -> GoDuration.parse("15 minutes")).hasMessageContaining("not a duration");
  }

  private Path write(String yaml) throws IOException {
    var file = dir.resolve("config.yaml");
    Files.writeString(file, yaml);
    return file;
  }
}
