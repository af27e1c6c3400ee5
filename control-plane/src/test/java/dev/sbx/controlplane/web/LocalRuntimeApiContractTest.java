package dev.sbx.controlplane.web;

import static dev.sbx.controlplane.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.controlplane.testing.RequiresBubblewrap;
import dev.sbx.controlplane.testing.StateDirs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The HTTP contract with the local runtime behind it (real bwrap), plus what only a real sandbox
 * can show: that a refused request changed nothing inside it.
 */
@RequiresBubblewrap
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LocalRuntimeApiContractTest extends ApiContract {

  private static final Path STATE_DIR = StateDirs.create("contract");

  @DynamicPropertySource
  static void sandboxSettings(DynamicPropertyRegistry registry) {
    registry.add("SANDBOX_STATE_DIR", STATE_DIR::toString);
    registry.add("SANDBOX_EXEC_KILL_GRACE", () -> "500ms");
    registry.add("SANDBOX_EXEC_MAX_RUNNING", () -> String.valueOf(MAX_RUNNING));
  }

  @Override
  String runtimeName() {
    return "local";
  }

  @Test
  void aCommandOfTheWrongTypeShouldRunNothing() {
    var id = api.createSandbox();
    var command = exec(id, "{\"command\":\"touch /tmp/ran\"}");
    assertProblem(command, 400, "invalid-request");
    assertThat(command.text("field")).isEqualTo("command");
    assertThat(command.text("detail")).startsWith("command: expected an array");
    assertThat(api.bash(id, "ls /tmp").text("stdout")).doesNotContain("ran");
  }

  @Test
  void createWithAnExistingIdShouldKeepTheSandboxsFiles() {
    api.post("/sandboxes", "{\"id\":\"twice\"}");
    api.bash("twice", "echo keep > /workspace/f");
    assertProblem(api.post("/sandboxes", "{\"id\":\"twice\"}"), 409, "sandbox-exists");
    assertThat(api.bash("twice", "cat /workspace/f").text("stdout")).isEqualTo("keep\n");
  }
}
