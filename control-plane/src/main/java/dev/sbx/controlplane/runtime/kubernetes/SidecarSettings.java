package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.config.InvalidConfigException;
import dev.sbx.controlplane.runtime.StreamModeProperties;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Sidecar stream mode: each sandbox pod gets the {@code stream} container, which pushes async
 * execs' output to the control plane's ingest endpoint (docs/sidecar.md).
 *
 * @param image the stream-sidecar image, or null when the mode is off
 * @param endpoint the control plane's base URL as the pods reach it
 * @param eventsDir where the events folder is mounted in both containers
 */
record SidecarSettings(@Nullable String image, String endpoint, String eventsDir) {

  static final SidecarSettings OFF = new SidecarSettings(null, "", "/sbx-events");

  /** The in-cluster Service of deploy/kind/control-plane.yaml. */
  static final String IN_CLUSTER_ENDPOINT = "http://sbx-control-plane.sbx-system.svc:8080";

  boolean enabled() {
    return image != null;
  }

  /**
   * @param env the process environment, to tell whether the control plane runs in a pod
   */
  static SidecarSettings of(StreamModeProperties stream, Map<String, String> env) {
    if (!stream.sidecar()) {
      return OFF;
    }
    var image = stream.streamSidecarImage();
    if (image == null || image.isBlank()) {
      throw new InvalidConfigException(
          "SANDBOX_STREAM_MODE=sidecar needs SANDBOX_STREAM_SIDECAR_IMAGE, the stream-sidecar image"
              + " (make image-sidecar builds sbx-stream-sidecar:dev)");
    }
    if (!ImageReferences.valid(image)) {
      throw new InvalidConfigException(
          "SANDBOX_STREAM_SIDECAR_IMAGE: \"" + image + "\" is not a valid image reference");
    }
    var endpoint = stream.streamEndpoint();
    if (endpoint == null || endpoint.isBlank()) {
      if (!env.containsKey("KUBERNETES_SERVICE_HOST")) {
        throw new InvalidConfigException(
            "SANDBOX_STREAM_ENDPOINT is needed when the control plane runs outside the cluster:"
                + " the URL at which sandbox pods reach it (for kind, the host's address on the"
                + " kind network, e.g. http://172.18.0.1:8080, with SERVER_ADDRESS=0.0.0.0 and, since it"
                + " then listens beyond loopback, SANDBOX_API_TOKEN)");
      }
      endpoint = IN_CLUSTER_ENDPOINT;
    } else if (!endpoint.startsWith("http://") && !endpoint.startsWith("https://")) {
      throw new InvalidConfigException(
          "SANDBOX_STREAM_ENDPOINT: \"" + endpoint + "\" is not an http:// or https:// URL");
    }
    var eventsDir = stream.streamEventsDir();
    if (eventsDir == null || !eventsDir.startsWith("/")) {
      throw new InvalidConfigException(
          "SANDBOX_STREAM_EVENTS_DIR: \"" + eventsDir + "\" is not an absolute path");
    }
    return new SidecarSettings(image, endpoint, eventsDir);
  }
}
