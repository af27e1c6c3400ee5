package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dev/image.sh}, the way images reach a kind cluster, with stand-ins for the container
 * engine and kind that record how they were called (there is no Docker here). Docker Engine 29+
 * with the containerd image store, and Docker Desktop, attach attestations unless told not to, and
 * {@code kind load docker-image} cannot import an image that has them.
 */
class ImageScriptTest {

  @TempDir Path bin;

  @Test
  void dockerShouldBuildWithoutAttestationsAndLoadTheImageIntoKind() throws Exception {
    stub("docker");
    stub("kind");
    var calls = run("docker", "sandbox-base");
    assertThat(calls)
        .anySatisfy(
            call ->
                assertThat(call)
                    .startsWith("docker build ")
                    .contains("--provenance=false", "--sbom=false")
                    .contains("-t docker.io/library/sandbox-base:dev"))
        .contains("kind load docker-image sandbox-base:dev --name sandbox-dev");
  }

  @Test
  void podmanShouldLoadTheImageThroughAnArchive() throws Exception {
    stub("podman");
    stub("kind");
    var calls = run("podman", "stream-sidecar");
    assertThat(calls)
        .anySatisfy(
            call ->
                assertThat(call)
                    .startsWith("podman build ")
                    .doesNotContain("--provenance")
                    .contains("-t docker.io/library/sbx-stream-sidecar:dev"))
        .anySatisfy(call -> assertThat(call).startsWith("kind load image-archive "));
  }

  /** Runs the script as a user would; returns each call of a stand-in, one line each. */
  private List<String> run(String engine, String image) throws Exception {
    var script = Path.of("..", "dev", "image.sh").toAbsolutePath().normalize();
    var builder = new ProcessBuilder("bash", script.toString(), image);
    builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    builder.environment().put("CONTAINER_ENGINE", engine);
    builder.environment().remove("KIND_CLUSTER");
    builder.redirectErrorStream(true).redirectOutput(bin.resolve("output.txt").toFile());
    var process = builder.start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(Files.readString(bin.resolve("output.txt"))).isZero();
    return Files.readAllLines(bin.resolve("calls.txt"));
  }

  /** A command that records its arguments; kind lists the cluster the script expects. */
  private void stub(String name) throws IOException {
    var stub = bin.resolve(name);
    Files.writeString(
        stub,
        """
        #!/bin/sh
        echo "$(basename "$0") $*" >>"%s"
        if [ "$(basename "$0")" = kind ] && [ "$1" = get ]; then echo sandbox-dev; fi
        exit 0
        """
            .formatted(bin.resolve("calls.txt")));
    Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
