package dev.sbx.controlplane.web;

import dev.sbx.controlplane.runtime.SandboxRuntime;
import dev.sbx.controlplane.testing.FakeSandboxRuntime;
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
}
