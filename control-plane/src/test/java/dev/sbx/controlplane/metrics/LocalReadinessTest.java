package dev.sbx.controlplane.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.controlplane.testing.Api;
import dev.sbx.controlplane.testing.RequiresBubblewrap;
import dev.sbx.controlplane.testing.StateDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Readiness goes down when the local runtime loses what it needs, and comes back. */
@RequiresBubblewrap
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LocalReadinessTest {

  private static final Path STATE_DIR = StateDirs.create("readiness");
  private static final Path BWRAP = copyOfBwrap();

  @LocalServerPort int port;

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    registry.add("SANDBOX_STATE_DIR", STATE_DIR::toString);
    registry.add("SANDBOX_BWRAP", BWRAP::toString);
  }

  @Test
  void readinessShouldGoDownWithoutBwrapAndComeBackWithIt() throws IOException {
    var api = new Api(port);
    assertThat(api.get("/actuator/health/readiness").status()).isEqualTo(200);
    var aside = BWRAP.resolveSibling("bwrap.aside");
    Files.move(BWRAP, aside);
    try {
      var down = api.get("/actuator/health/readiness");
      assertThat(down.status()).isEqualTo(503);
      assertThat(down.json().at("/components/runtime/details/reason").asString())
          .contains("bwrap")
          .contains("apt-get install bubblewrap");
      assertThat(api.get("/actuator/health/liveness").status())
          .as("a restart would not help")
          .isEqualTo(200);
    } finally {
      Files.move(aside, BWRAP);
    }
    assertThat(api.get("/actuator/health/readiness").status()).isEqualTo(200);
  }

  private static Path copyOfBwrap() {
    try {
      var dir = Files.createTempDirectory("sbx-bwrap-");
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      var copy = dir.resolve("bwrap");
      var real =
          Arrays.stream(System.getenv("PATH").split(":"))
              .map(entry -> Path.of(entry, "bwrap"))
              .filter(Files::isExecutable)
              .findFirst()
              .orElseThrow();
      Files.copy(real, copy, StandardCopyOption.COPY_ATTRIBUTES);
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
