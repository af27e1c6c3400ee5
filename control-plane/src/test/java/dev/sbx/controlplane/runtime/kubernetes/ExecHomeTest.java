package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.controlplane.runtime.ExecSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The exec wrapper, run by this machine's /bin/sh with the environment a container runtime gives:
 * an image with no passwd entry for uid 1000 (ubuntu:22.04) leaves HOME at /, where nothing can
 * write, and the wrapper moves it to the pod's volume; a HOME the image or the request sets stays.
 */
class ExecHomeTest {

  private static final List<String> SHOW = List.of("sh", "-c", "echo \"$HOME $XDG_CACHE_HOME\"");

  @Test
  void aHomeLeftAtRootShouldBecomeTheWritableVolume() throws Exception {
    assertThat(run(Map.of(), "/")).isEqualTo("/home/sbx /cache\n");
    assertThat(run(Map.of(), null)).isEqualTo("/home/sbx /cache\n");
  }

  @Test
  void aHomeFromTheImageOrTheRequestShouldStay() throws Exception {
    assertThat(run(Map.of(), "/home/sandbox")).isEqualTo("/home/sandbox \n");
    assertThat(run(Map.of("HOME", "/workspace"), "/")).isEqualTo("/workspace /cache\n");
  }

  /** Runs the wrapper as a pod exec would, with HOME as the image left it (null: unset). */
  private static String run(Map<String, String> requestEnv, String imageHome) throws Exception {
    var spec = new ExecSpec("00000000000000f1", SHOW, requestEnv, "/tmp", null);
    var builder = new ProcessBuilder(ExecScripts.wrapped(spec));
    builder.environment().clear();
    builder.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
    if (imageHome != null) {
      builder.environment().put("HOME", imageHome);
    }
    var process = builder.start();
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
