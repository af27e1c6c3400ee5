package dev.sbx.controlplane.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.controlplane.runtime.SandboxRuntime;
import dev.sbx.controlplane.testing.Api;
import dev.sbx.controlplane.testing.FakeSandboxRuntime;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;

/** SANDBOX_MCP_ENABLED=false: no MCP server, the API as before. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class McpDisabledTest {

  @LocalServerPort int port;

  @TestBean SandboxRuntime sandboxRuntime;

  static SandboxRuntime sandboxRuntime() {
    return new FakeSandboxRuntime();
  }

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    registry.add("SANDBOX_MCP_ENABLED", () -> "false");
  }

  @Test
  void mcpWhenDisabledShouldNotBeServed() {
    var api = new Api(port);
    assertThat(api.post("/mcp", McpTokenTest.INITIALIZE).status()).isEqualTo(404);
    assertThat(api.get("/sandboxes").status()).isEqualTo(200);
  }
}
