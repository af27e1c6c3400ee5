package dev.sbx.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.controlplane.testing.Api;
import dev.sbx.controlplane.testing.RequiresBubblewrap;
import dev.sbx.controlplane.testing.StateDirs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A control plane that cannot enforce the CPU, memory and pids limits (its cgroup root does not
 * exist) still runs sandboxes, and says so in one start-up line, in readiness and in every GET.
 */
@RequiresBubblewrap
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UnenforcedLimitsTest {

  private static final Path STATE_DIR = StateDirs.create("unenforced");

  @LocalServerPort int port;

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    registry.add("SANDBOX_STATE_DIR", STATE_DIR::toString);
    registry.add("SANDBOX_CGROUP_ROOT", () -> "/sbx-no-such-cgroup");
  }

  @Test
  void limitsWithoutACgroupShouldBeSaidAtStartUpInReadinessAndInGet(CapturedOutput output) {
    var limits = List.of("cpu_limit", "mem_limit", "pids_limit");
    var startUp =
        output
            .getAll()
            .lines()
            .filter(line -> line.contains("sandbox limits NOT enforced"))
            .toList();
    // This class's settings are its own, so its control plane starts inside the capture.
    assertThat(startUp).hasSize(1);
    assertThat(startUp.get(0)).contains(limits).contains("SANDBOX_CGROUP_ROOT=/sbx-no-such-cgroup");
    var api = new Api(port);
    var readiness = api.get("/actuator/health/readiness");
    assertThat(readiness.status()).as("sandboxes still run").isEqualTo(200);
    var said = readiness.json().at("/components/runtime/details/unenforced_limits");
    limits.forEach(limit -> assertThat(said.has(limit)).as(limit).isTrue());
    var id = api.createSandbox();
    try {
      var unenforced = api.get("/sandboxes/" + id).json().get("resources").get("unenforced");
      limits.forEach(
          limit ->
              assertThat(unenforced.get(limit).asString())
                  .as(limit)
                  .contains("/sbx-no-such-cgroup")
                  .contains("does not exist"));
      assertThat(api.bash(id, "echo runs").text("stdout")).isEqualTo("runs\n");
    } finally {
      api.delete("/sandboxes/" + id);
    }
  }
}
