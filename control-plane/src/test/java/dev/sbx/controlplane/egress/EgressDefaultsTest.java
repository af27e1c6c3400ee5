package dev.sbx.controlplane.egress;

import static dev.sbx.controlplane.egress.LoopbackHosts.BODY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.controlplane.testing.StateDirs;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * SANDBOX_ALLOWED_HOSTS and SANDBOX_DISALLOWED_HOSTS are the policy of creates that give none, and
 * allowed hosts configured without SANDBOX_NETWORK mean allowlist: the real control plane, real
 * sandboxes, curl with its defaults.
 */
class EgressDefaultsTest extends EgressControlPlaneTest {

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    egressSettings(registry, StateDirs.create("egress-defaults"));
    registry.add("SANDBOX_ALLOWED_HOSTS", () -> "allowed.test");
    registry.add("SANDBOX_DISALLOWED_HOSTS", () -> "denied.test");
  }

  @Test
  void createWithoutAPolicyShouldGetTheConfiguredOne() {
    var id = api.post("/sandboxes", "{}").text("id");
    var sandbox = api.get("/sandboxes/" + id).json();
    assertThat(sandbox.get("network").asString()).isEqualTo("allowlist");
    assertThat(sandbox.get("allowed_hosts").get(0).asString()).isEqualTo("allowed.test");
    assertThat(curl(id, "allowed.test")).isEqualTo(BODY + " 200");
    assertThat(curl(id, "other.test")).isEqualTo("not in allowed_hosts\n 403");
  }

  @Test
  void createThatGivesOnlyAModeShouldKeepTheConfiguredDisallowedHosts() {
    var id = api.post("/sandboxes", "{\"network\":\"open\"}").text("id");
    assertThat(curl(id, "other.test")).isEqualTo(BODY + " 200");
    assertThat(curl(id, "denied.test")).isEqualTo("disallowed_hosts: denied.test\n 403");
  }

  @Test
  void createThatGivesItsOwnHostsShouldUseThemInstead() {
    var id = api.post("/sandboxes", "{\"allowed_hosts\":[\"other.test\"]}").text("id");
    assertThat(curl(id, "other.test")).isEqualTo(BODY + " 200");
    assertThat(curl(id, "allowed.test")).isEqualTo("not in allowed_hosts\n 403");
  }

  private String curl(String id, String host) {
    var url = "http://" + host + ":" + hosts.httpPort() + "/";
    var response = api.bash(id, "curl -sS -m 10 -w ' %{http_code}' " + url);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.text("stdout");
  }
}
