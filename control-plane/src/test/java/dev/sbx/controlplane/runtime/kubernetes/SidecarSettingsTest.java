package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sbx.controlplane.config.InvalidConfigException;
import dev.sbx.controlplane.config.SandboxConfig;
import dev.sbx.controlplane.config.TestBinding;
import dev.sbx.controlplane.runtime.StreamModeProperties;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sidecar mode's start-up checks: a setting that cannot work stops the start with one line. */
class SidecarSettingsTest {

  private static final Map<String, String> IN_CLUSTER =
      Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1");

  @Test
  void controlPlaneModeShouldNeedNothing() {
    assertThat(of(Templates.config(), Map.of()).enabled()).isFalse();
  }

  @Test
  void sidecarModeWithoutAnImageShouldBeAStartUpError() {
    assertThatThrownBy(() -> of(Templates.config("SANDBOX_STREAM_MODE", "sidecar"), IN_CLUSTER))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("SANDBOX_STREAM_SIDECAR_IMAGE");
  }

  @Test
  void inTheClusterTheEndpointShouldDefaultToTheControlPlanesService() {
    var settings = of(sidecar(), IN_CLUSTER);
    assertThat(settings.enabled()).isTrue();
    assertThat(settings.endpoint()).isEqualTo("http://sbx-control-plane.sbx-system.svc:8080");
    assertThat(settings.eventsDir()).isEqualTo("/sbx-events");
  }

  @Test
  void onTheHostTheEndpointShouldBeRequiredWithAHint() {
    assertThatThrownBy(() -> of(sidecar(), Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("SANDBOX_STREAM_ENDPOINT")
        .hasMessageContaining("kind");
  }

  @Test
  void badValuesShouldNameTheirKey() {
    assertThatThrownBy(() -> of(sidecar("SANDBOX_STREAM_ENDPOINT", "ftp://example.com"), Map.of()))
        .hasMessageStartingWith("SANDBOX_STREAM_ENDPOINT");
    assertThatThrownBy(() -> of(sidecar("SANDBOX_STREAM_EVENTS_DIR", "events"), IN_CLUSTER))
        .hasMessageStartingWith("SANDBOX_STREAM_EVENTS_DIR");
    assertThatThrownBy(
            () ->
                of(
                    Templates.config(
                        "SANDBOX_STREAM_MODE", "sidecar",
                        "SANDBOX_STREAM_SIDECAR_IMAGE", "Not An Image"),
                    IN_CLUSTER))
        .hasMessageStartingWith("SANDBOX_STREAM_SIDECAR_IMAGE");
  }

  private static SidecarSettings of(SandboxConfig config, Map<String, String> env) {
    return SidecarSettings.of(TestBinding.bind(config, StreamModeProperties.class), env);
  }

  private static SandboxConfig sidecar(String... more) {
    var settings = new String[4 + more.length];
    settings[0] = "SANDBOX_STREAM_MODE";
    settings[1] = "sidecar";
    settings[2] = "SANDBOX_STREAM_SIDECAR_IMAGE";
    settings[3] = "sbx-stream-sidecar:dev";
    System.arraycopy(more, 0, settings, 4, more.length);
    return Templates.config(settings);
  }
}
