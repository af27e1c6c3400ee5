package dev.sbx.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.controlplane.testing.Api;
import dev.sbx.controlplane.testing.RequiresBubblewrap;
import dev.sbx.controlplane.testing.StateDirs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code none}, as the README offers it for each limit, starts a local control plane whose
 * sandboxes have no such limit, and whose creates may ask for any amount.
 */
@RequiresBubblewrap
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class NoLimitsTest {

  private static final Path STATE_DIR = StateDirs.create("no-limits");

  @LocalServerPort int port;

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    registry.add("SANDBOX_STATE_DIR", STATE_DIR::toString);
    registry.add("SANDBOX_CPU_LIMIT", () -> "none");
    registry.add("SANDBOX_MEM_LIMIT", () -> "none");
    registry.add("SANDBOX_PIDS_LIMIT", () -> "none");
    registry.add("SANDBOX_DISK_LIMIT", () -> "none");
  }

  @Test
  void noneShouldLeaveEachLimitOpen() {
    var api = new Api(port);
    var plain = api.createSandbox();
    var created =
        api.post(
            "/sandboxes",
            "{\"resources\":{\"cpu_limit\":\"64\",\"mem_limit\":\"512Gi\",\"pids_limit\":100000}}");
    try {
      var resources = api.get("/sandboxes/" + plain).json().get("resources");
      for (var limit : new String[] {"cpu_limit", "mem_limit", "pids_limit", "disk_limit"}) {
        assertThat(resources.has(limit)).as(limit + " in " + resources).isFalse();
      }
      assertThat(api.bash(plain, "echo runs").text("stdout")).isEqualTo("runs\n");
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      assertThat(created.json().get("resources").get("cpu_limit").asString()).isEqualTo("64");
    } finally {
      api.deleteSandboxes();
    }
  }
}
