package dev.sbx.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.controlplane.runtime.SandboxRuntime;
import dev.sbx.controlplane.testing.FakeSandboxRuntime;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.bean.override.convention.TestBean;

/** The HTTP contract with the in-memory runtime behind it: runs where bubblewrap does not. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"SANDBOX_EXEC_MAX_RUNNING=" + ApiContract.MAX_RUNNING})
class FakeRuntimeApiContractTest extends ApiContract {

  @TestBean SandboxRuntime sandboxRuntime;

  static SandboxRuntime sandboxRuntime() {
    return new FakeSandboxRuntime();
  }

  @Override
  String runtimeName() {
    return "fake";
  }

  @Test
  void aTerminalOnARuntimeWithoutTerminalsShouldBe501() {
    var id = api.createSandbox();
    var refused = api.get("/sandboxes/" + id + "/tty");
    assertThat(refused.status()).isEqualTo(501);
    assertThat(refused.problemType()).endsWith(":not-implemented");
    assertThat(refused.text("detail")).contains("terminal");
  }
}
