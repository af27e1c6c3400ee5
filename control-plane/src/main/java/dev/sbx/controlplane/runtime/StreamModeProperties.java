package dev.sbx.controlplane.runtime;

import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How async execs' output reaches the control plane, bound from the {@code sandbox.stream-mode},
 * {@code -sidecar-image}, {@code -endpoint} and {@code -events-dir} properties that the {@code
 * SANDBOX_STREAM_*} variables and file keys become (see config.ConfigKey for names, defaults and
 * checks). The Kubernetes runtime checks the sidecar's settings, with errors that name the key.
 *
 * @param streamMode who collects the output
 * @param streamSidecarImage the stream-sidecar image
 * @param streamEndpoint the control plane's base URL as sandbox pods reach it
 * @param streamEventsDir where the events folder is mounted in the sandbox and sidecar containers
 */
@Validated
@ConfigurationProperties("sandbox")
public record StreamModeProperties(
    @NotNull Mode streamMode,
    @Nullable String streamSidecarImage,
    @Nullable String streamEndpoint,
    @Nullable String streamEventsDir) {

  /** The values of {@code SANDBOX_STREAM_MODE}; the binder reads control-plane as CONTROL_PLANE. */
  public enum Mode {
    /** The control plane reads the output itself. */
    CONTROL_PLANE,
    /** A sidecar in each sandbox pod pushes the output to the control plane (Kubernetes only). */
    SIDECAR
  }

  public boolean sidecar() {
    return streamMode == Mode.SIDECAR;
  }
}
