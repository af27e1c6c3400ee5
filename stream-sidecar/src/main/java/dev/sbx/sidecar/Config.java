package dev.sbx.sidecar;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The sidecar's settings, read from the pod's environment.
 *
 * @param ingestUri the control plane's ingest WebSocket for this sandbox
 * @param token the sandbox's ingest token, sent as a bearer token on the handshake
 * @param eventsDir the folder the exec wrapper writes output files to
 */
record Config(URI ingestUri, String token, Path eventsDir) {

  static final String ENDPOINT = "SBX_STREAM_ENDPOINT";
  static final String SANDBOX_ID = "SBX_SANDBOX_ID";
  static final String TOKEN = "SBX_INGEST_TOKEN";
  static final String EVENTS_DIR = "SBX_EVENTS_DIR";

  /**
   * Reads the environment; a missing or unusable variable throws an exception whose message is the
   * one line to print before exiting with status 2.
   */
  static Config fromEnv(Map<String, String> env) {
    var missing = Stream.of(ENDPOINT, SANDBOX_ID, TOKEN).filter(name -> blank(env.get(name)));
    var names = missing.toList();
    if (!names.isEmpty()) {
      throw new IllegalArgumentException(
          (names.size() == 1 ? "missing environment variable " : "missing environment variables ")
              + String.join(", ", names));
    }
    String dir = env.get(EVENTS_DIR);
    return new Config(
        ingestUri(env.get(ENDPOINT).strip(), env.get(SANDBOX_ID).strip()),
        env.get(TOKEN).strip(),
        Path.of(blank(dir) ? "/sbx-events" : dir));
  }

  static URI ingestUri(String endpoint, String sandboxId) {
    try {
      var base = new URI(endpoint);
      String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
      String wsScheme =
          switch (scheme) {
            case "http", "ws" -> "ws";
            case "https", "wss" -> "wss";
            default -> throw new URISyntaxException(endpoint, "the scheme must be http or https");
          };
      if (base.getHost() == null) {
        throw new URISyntaxException(endpoint, "no host");
      }
      String path = base.getPath() == null ? "" : base.getPath().replaceAll("/+$", "");
      return new URI(
          wsScheme,
          null,
          base.getHost(),
          base.getPort(),
          path + "/sandboxes/" + sandboxId + "/ingest",
          null,
          null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("invalid " + ENDPOINT + ": " + e.getMessage());
    }
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  @Override
  public String toString() {
    return "Config[ingestUri=" + ingestUri + ", eventsDir=" + eventsDir + "]";
  }
}
