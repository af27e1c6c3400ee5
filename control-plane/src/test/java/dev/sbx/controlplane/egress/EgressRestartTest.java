package dev.sbx.controlplane.egress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.controlplane.ControlPlaneApplication;
import dev.sbx.controlplane.testing.Api;
import dev.sbx.controlplane.testing.StateDirs;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A policy changed with PATCH is kept in the sandbox's folder: a restarted control plane enforces
 * it, starts the sandbox's forwarder again, and does not report the forwarder as a lost exec.
 */
class EgressRestartTest extends LoopbackHostsTest {

  private final Path stateDir = StateDirs.create("egress-restart");

  @Test
  void restartShouldKeepAPatchedPolicyAndItsWayOut() {
    var url = "http://allowed.test:" + hosts.httpPort() + "/";
    String id;
    try (var first = start()) {
      var api = api(first);
      id = api.post("/sandboxes", "{\"allowed_hosts\":[\"other.test\"]}").text("id");
      var patched =
          api.send(
              api.request("/sandboxes/" + id)
                  .header("Content-Type", "application/json")
                  .method(
                      "PATCH",
                      HttpRequest.BodyPublishers.ofString(
                          "{\"allowed_hosts\":[\"allowed.test\"]}")));
      assertThat(patched.status()).isEqualTo(200);
      assertThat(api.bash(id, "curl -sS -m 10 " + url).text("stdout"))
          .isEqualTo(LoopbackHosts.BODY);
    }
    try (var second = start()) {
      var api = api(second);
      assertThat(api.get("/sandboxes/" + id).json().get("allowed_hosts").get(0).asString())
          .isEqualTo("allowed.test");
      assertThat(api.bash(id, "curl -sS -m 10 " + url).text("stdout"))
          .isEqualTo(LoopbackHosts.BODY);
      assertThat(api.get("/sandboxes/" + id + "/execs").body()).doesNotContain("egress");
      assertThat(api.delete("/sandboxes/" + id).status()).isEqualTo(200);
    }
  }

  private ConfigurableApplicationContext start() {
    return new SpringApplicationBuilder(ControlPlaneApplication.class)
        .run(
            "--server.port=0",
            "--SANDBOX_STATE_DIR=" + stateDir,
            "--SANDBOX_EGRESS_ALLOW_PRIVATE=" + LoopbackHosts.ALLOWED_IP + "/32");
  }

  private static Api api(ConfigurableApplicationContext context) {
    return new Api(((WebServerApplicationContext) context).getWebServer().getPort());
  }
}
