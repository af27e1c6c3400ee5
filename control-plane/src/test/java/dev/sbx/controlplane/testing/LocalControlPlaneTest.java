package dev.sbx.controlplane.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the tests that drive a real control plane with the real local runtime (bubblewrap) on a
 * random port. Subclasses share one control plane; each test deletes the sandboxes it made.
 */
@RequiresBubblewrap
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class LocalControlPlaneTest {

  protected static final Path STATE_DIR = StateDirs.create("shared");

  @LocalServerPort protected int port;
  protected Api api;

  @DynamicPropertySource
  static void sandboxSettings(DynamicPropertyRegistry registry) {
    registry.add("SANDBOX_STATE_DIR", STATE_DIR::toString);
    registry.add("SANDBOX_STREAM_BUFFER", () -> "2000");
    registry.add("SANDBOX_EXEC_KILL_GRACE", () -> "500ms");
    registry.add("SANDBOX_EXEC_MAX_RUNNING", () -> "8");
    registry.add("SANDBOX_EXEC_MAX_OUTPUT", () -> "1MiB");
  }

  @BeforeEach
  void connect() {
    api = new Api(port);
  }

  @AfterEach
  void deleteSandboxes() {
    api.deleteSandboxes();
  }
}
