package dev.sbx.controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sbx.controlplane.ControlPlaneApplication;
import dev.sbx.controlplane.testing.StateDirs;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** A control plane that cannot work refuses to start, and its message names the culprit. */
class StartupFailureTest {

  @Test
  void startWhenAValueIsBadShouldFailNamingTheKey() {
    assertThat(startupFailure("--SANDBOX_STREAM_BUFFER=lots"))
        .hasMessageContaining("SANDBOX_STREAM_BUFFER")
        .hasMessageContaining("lots");
  }

  @Test
  void startWhenListeningBeyondLoopbackWithoutATokenShouldFail() {
    assertThat(startupFailure("--server.address=0.0.0.0"))
        .hasMessageContaining("SANDBOX_API_TOKEN");
  }

  @Test
  void startWhenTheRuntimeIsNotInThisBuildShouldSaySo() {
    assertThat(startupFailure("--SANDBOX_RUNTIME=kubernetes"))
        .hasMessageContaining("SANDBOX_RUNTIME=kubernetes");
  }

  @Test
  void preflightWhenBwrapIsMissingShouldSayHowToInstallIt() {
    assertThatThrownBy(() -> StartupCheck.check(Map.of("PATH", "/nonexistent")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("apt-get install bubblewrap");
  }

  @Test
  void preflightShouldPassOnThisMachine() {
    StartupCheck.check(System.getenv());
    assertThat(ConfigLoader.load(Map.of()).runtime()).isEqualTo("local");
  }

  /** Starts a control plane with these arguments and returns why it failed. */
  private static InvalidConfigException startupFailure(String argument) {
    var args =
        new String[] {
          argument, "--server.port=0", "--SANDBOX_STATE_DIR=" + StateDirs.create("startup")
        };
    try {
      new SpringApplicationBuilder(ControlPlaneApplication.class).run(args).close();
    } catch (RuntimeException e) {
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof InvalidConfigException invalid) {
          return invalid;
        }
      }
      throw new AssertionError("failed, but not for its configuration", e);
    }
    throw new AssertionError("started with " + argument);
  }
}
