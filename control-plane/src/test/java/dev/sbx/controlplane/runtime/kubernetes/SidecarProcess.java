package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.sidecar.StreamSidecar;
import java.io.File;
import java.nio.file.Path;
import tools.jackson.core.json.JsonFactory;

/** The real stream-sidecar program as a process, configured as its pod would configure it. */
final class SidecarProcess {

  private SidecarProcess() {}

  /**
   * Starts the sidecar of one sandbox.
   *
   * @param endpoint where it sends its ingest, as SBX_STREAM_ENDPOINT
   * @param log the file its output goes to
   */
  static Process start(String endpoint, String sandboxId, String token, Path events, Path log)
      throws Exception {
    var builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx16m",
            "-cp",
            // Its own jar and jackson-core only, as in its image: the whole test class path costs
            // a 16 MB heap more than it has.
            jarOf(StreamSidecar.class) + File.pathSeparator + jarOf(JsonFactory.class),
            "dev.sbx.sidecar.StreamSidecar");
    builder.environment().put("SBX_STREAM_ENDPOINT", endpoint);
    builder.environment().put("SBX_SANDBOX_ID", sandboxId);
    builder.environment().put("SBX_INGEST_TOKEN", token);
    builder.environment().put("SBX_EVENTS_DIR", events.toString());
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    return builder.start();
  }

  private static String jarOf(Class<?> type) throws Exception {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }
}
