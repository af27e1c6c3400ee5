package dev.sbx.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {

  private static Map<String, String> env() {
    var env = new HashMap<String, String>();
    env.put("SBX_STREAM_ENDPOINT", "http://sbx-control-plane.sbx-system:8080");
    env.put("SBX_SANDBOX_ID", "sbx-abc");
    env.put("SBX_INGEST_TOKEN", "t0ken");
    return env;
  }

  @Test
  void fromEnvShouldBuildTheIngestUrlAndDefaultTheEventsFolder() {
    var config = Config.fromEnv(env());

    assertThat(config.ingestUri())
        .isEqualTo(URI.create("ws://sbx-control-plane.sbx-system:8080/sandboxes/sbx-abc/ingest"));
    assertThat(config.token()).isEqualTo("t0ken");
    assertThat(config.eventsDir()).isEqualTo(Path.of("/sbx-events"));
  }

  @Test
  void fromEnvShouldTakeTheEventsFolderFromTheEnvironment() {
    var env = env();
    env.put("SBX_EVENTS_DIR", "/tmp/events");

    assertThat(Config.fromEnv(env).eventsDir()).isEqualTo(Path.of("/tmp/events"));
  }

  @Test
  void fromEnvWhenTheTokenIsMissingShouldNameItInOneLine() {
    var env = env();
    env.remove("SBX_INGEST_TOKEN");

    assertThatIllegalArgumentException()
        .isThrownBy(() -> Config.fromEnv(env))
        .withMessage("missing environment variable SBX_INGEST_TOKEN");
  }

  @Test
  void fromEnvWhenAVariableIsBlankShouldCountItMissing() {
    var env = env();
    env.put("SBX_SANDBOX_ID", " ");

    assertThatIllegalArgumentException()
        .isThrownBy(() -> Config.fromEnv(env))
        .withMessage("missing environment variable SBX_SANDBOX_ID");
  }

  @Test
  void fromEnvWhenSeveralAreMissingShouldNameThemAllInOneLine() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Config.fromEnv(Map.of()))
        .withMessage(
            "missing environment variables SBX_STREAM_ENDPOINT, SBX_SANDBOX_ID, SBX_INGEST_TOKEN")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void ingestUriShouldMapHttpsToWssAndTolerateATrailingSlash() {
    assertThat(Config.ingestUri("https://cp.example.com/", "sbx-1"))
        .isEqualTo(URI.create("wss://cp.example.com/sandboxes/sbx-1/ingest"));
  }

  @Test
  void ingestUriShouldKeepABasePath() {
    assertThat(Config.ingestUri("http://cp:8080/sbx//", "sbx-1"))
        .isEqualTo(URI.create("ws://cp:8080/sbx/sandboxes/sbx-1/ingest"));
  }

  @Test
  void ingestUriWhenTheEndpointHasNoSchemeShouldBeRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Config.ingestUri("sbx-control-plane:8080", "sbx-1"))
        .withMessageStartingWith("invalid SBX_STREAM_ENDPOINT: ");
  }

  @Test
  void toStringShouldNotShowTheToken() {
    assertThat(Config.fromEnv(env()).toString()).doesNotContain("t0ken");
  }
}
