package dev.sbx.controlplane;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sbx.controlplane.config.ConfigLoader;
import dev.sbx.controlplane.config.InvalidConfigException;
import dev.sbx.controlplane.peers.ReplicaCheck;
import dev.sbx.controlplane.testing.RequiresBubblewrap;
import dev.sbx.controlplane.testing.StateDirs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.InstanceOfAssertFactories;
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
  void startWhenABoundSettingIsBadShouldFailNamingTheKey() {
    assertThat(startupFailure("--SANDBOX_EXEC_KILL_GRACE=soon"))
        .hasMessageStartingWith("SANDBOX_EXEC_KILL_GRACE=\"soon\":")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void startWhenTheStreamModeIsSidecarOnTheLocalRuntimeShouldFailNamingBothKeys() {
    assertThat(startupFailure("--SANDBOX_STREAM_MODE=sidecar"))
        .hasMessageStartingWith("SANDBOX_STREAM_MODE=sidecar needs SANDBOX_RUNTIME=kubernetes")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void startWhenReplicasAreListedOnTheLocalRuntimeShouldFailInOneLine() {
    assertThat(startupFailure("--SANDBOX_PEERS=127.0.0.1:8081,127.0.0.1:8082"))
        .hasMessageStartingWith("several replicas need SANDBOX_RUNTIME=kubernetes")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void preflightWhenReplicasHaveNoSecretOrABadAddressShouldSaySo() {
    assertThatThrownBy(() -> ReplicaCheck.check("kubernetes", "sbx-peers", null, null, null, null))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("SANDBOX_PEER_SECRET");
    assertThatThrownBy(
            () ->
                ReplicaCheck.check(
                    "kubernetes", null, List.of("10.0.0.1:8080", "10.0.0.2"), null, "s", null))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("SANDBOX_PEERS=10.0.0.2: expected host:port");
    assertThatThrownBy(
            () ->
                ReplicaCheck.check("kubernetes", "svc", List.of("10.0.0.1:8080"), null, "s", null))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("both set");
  }

  @Test
  void startWhenListeningBeyondLoopbackWithoutATokenShouldFail() {
    assertThat(startupFailure("--server.address=0.0.0.0"))
        .hasMessageContaining("SANDBOX_API_TOKEN");
  }

  @Test
  void startWhenTheKubernetesApiServerCannotBeReachedShouldSaySoInOneLine() throws Exception {
    var kubeconfig = Files.createTempFile("kubeconfig", ".yaml");
    Files.writeString(
        kubeconfig,
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]",
            "users: [{name: u, user: {token: t}}]",
            "contexts: [{name: x, context: {cluster: c, user: u}}]",
            "current-context: x",
            ""));
    var previous = System.setProperty("kubeconfig", kubeconfig.toString());
    try {
      assertThat(
              startupFailure(
                  "--SANDBOX_RUNTIME=kubernetes", "--SANDBOX_KUBERNETES_REQUEST_TIMEOUT=2s"))
          .hasMessageContaining("cannot reach the Kubernetes API server at https://127.0.0.1:1")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    } finally {
      if (previous == null) {
        System.clearProperty("kubeconfig");
      } else {
        System.setProperty("kubeconfig", previous);
      }
    }
  }

  @Test
  @RequiresBubblewrap
  void startAsAProcessWhenTheStateFolderCannotBeUsedShouldPrintOneLineAndExit78() throws Exception {
    var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var builder =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                ControlPlaneApplication.class.getName(),
                "--server.port=0")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    // Past the checks made before Spring starts: the local runtime finds it cannot use it.
    builder.environment().put("SANDBOX_STATE_DIR", "/proc/sbx-no-such-folder");
    var process = builder.start();
    var stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(stderr.lines())
        .singleElement(as(InstanceOfAssertFactories.STRING))
        .startsWith("sbx control plane: SANDBOX_STATE_DIR=\"/proc/sbx-no-such-folder\"");
    assertThat(process.exitValue()).isEqualTo(78);
  }

  @Test
  void preflightWhenBwrapIsMissingShouldSayHowToInstallIt() {
    assertThatThrownBy(() -> StartupCheck.check(Map.of("PATH", "/nonexistent")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("apt-get install bubblewrap");
  }

  @Test
  @RequiresBubblewrap
  void preflightShouldPassOnThisMachine() {
    StartupCheck.check(System.getenv());
    assertThat(ConfigLoader.load(Map.of()).runtime()).isEqualTo("local");
  }

  /** Starts a control plane with these arguments and returns why it failed. */
  private static InvalidConfigException startupFailure(String... arguments) {
    var args = new ArrayList<>(List.of(arguments));
    args.add("--server.port=0");
    args.add("--SANDBOX_STATE_DIR=" + StateDirs.create("startup"));
    var argument = String.join(" ", arguments);
    try {
      new SpringApplicationBuilder(ControlPlaneApplication.class)
          .run(args.toArray(String[]::new))
          .close();
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
