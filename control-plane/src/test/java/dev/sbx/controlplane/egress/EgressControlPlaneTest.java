package dev.sbx.controlplane.egress;

import dev.sbx.controlplane.testing.Api;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Base of the egress tests against one real control plane for the class, with real sandboxes, each
 * deleted after its test. A subclass adds its settings with a {@code @DynamicPropertySource} that
 * calls {@link #egressSettings}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class EgressControlPlaneTest extends LoopbackHostsTest {

  @LocalServerPort int port;
  Api api;

  /** Its own state folder and 127.0.0.7 opened. */
  static void egressSettings(DynamicPropertyRegistry registry, Path stateDir) {
    registry.add("SANDBOX_STATE_DIR", stateDir::toString);
    registry.add("SANDBOX_EGRESS_ALLOW_PRIVATE", () -> LoopbackHosts.ALLOWED_IP + "/32");
  }

  // The set-up of LocalControlPlaneTest and ApiContract again: egress tests have a base class of
  // their own, with their own settings (the duplicates tool reports the pairs).
  @BeforeEach
  void connect() {
    api = new Api(port);
  }

  @AfterEach
  void deleteSandboxes() {
    api.deleteSandboxes();
  }
}
