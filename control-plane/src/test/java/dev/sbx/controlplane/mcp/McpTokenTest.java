package dev.sbx.controlplane.mcp;

import static dev.sbx.controlplane.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sbx.controlplane.runtime.SandboxRuntime;
import dev.sbx.controlplane.testing.Api;
import dev.sbx.controlplane.testing.FakeSandboxRuntime;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;

/** With SANDBOX_API_TOKEN set, /mcp needs the token as every other route does. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class McpTokenTest {

  private static final String TOKEN = "s3cret-token";

  @LocalServerPort int port;

  @TestBean SandboxRuntime sandboxRuntime;

  static SandboxRuntime sandboxRuntime() {
    return new FakeSandboxRuntime();
  }

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    registry.add("SANDBOX_API_TOKEN", () -> TOKEN);
  }

  static final String INITIALIZE =
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
          + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
          + "\"clientInfo\":{\"name\":\"curl\",\"version\":\"1\"}}}";

  @Test
  void mcpWithoutTheTokenShouldBe401() {
    assertProblem(new Api(port).post("/mcp", INITIALIZE), 401, "unauthorized");
    assertProblem(new Api(port, "guess").post("/mcp", INITIALIZE), 401, "unauthorized");
    try (var client = new McpTestClient(port, null)) {
      assertThatThrownBy(client::initialize).hasStackTraceContaining("401");
    }
  }

  @Test
  void mcpWithTheTokenShouldServeTools() {
    try (var client = new McpTestClient(port, TOKEN)) {
      assertThat(client.initialize().serverInfo().name()).isEqualTo("sbx");
      assertThat(client.tools()).hasSize(10);
    }
  }
}
