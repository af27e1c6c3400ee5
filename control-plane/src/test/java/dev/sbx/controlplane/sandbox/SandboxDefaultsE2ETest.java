package dev.sbx.controlplane.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.controlplane.testing.Api;
import dev.sbx.controlplane.testing.RequiresBubblewrap;
import dev.sbx.controlplane.testing.StateDirs;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The configured environment of every sandbox reaches its commands through Spring's binder, names'
 * case kept, and a create's own env wins over it.
 */
@RequiresBubblewrap
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SandboxDefaultsE2ETest {

  private static final Path STATE_DIR = StateDirs.create("defaults");

  @LocalServerPort int port;

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    registry.add("SANDBOX_STATE_DIR", STATE_DIR::toString);
    registry.add("SANDBOX_ENV_GREETING", () -> "hello, world");
    registry.add("SANDBOX_ENV_MixedCase", () -> "kept");
  }

  @AfterEach
  void deleteSandboxes() {
    new Api(port).deleteSandboxes();
  }

  @Test
  void whenEnvIsConfiguredEverySandboxShouldSeeItAndACreateShouldOverrideIt() {
    var api = new Api(port);
    var plain = api.createSandbox();
    assertThat(api.bash(plain, "echo \"$GREETING|$MixedCase|${mixedcase:-none}\"").text("stdout"))
        .isEqualTo("hello, world|kept|none\n");
    var created = api.post("/sandboxes", "{\"env\":{\"GREETING\":\"own\"}}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(api.bash(created.text("id"), "echo \"$GREETING|$MixedCase\"").text("stdout"))
        .isEqualTo("own|kept\n");
  }
}
