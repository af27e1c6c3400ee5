package dev.sbx.controlplane.egress;

import static dev.sbx.controlplane.egress.LoopbackHosts.BODY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.controlplane.testing.Api;
import dev.sbx.controlplane.testing.StateDirs;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * SANDBOX_ALLOWED_HOSTS and SANDBOX_DISALLOWED_HOSTS are the policy of creates that give none, and
 * allowed hosts configured without SANDBOX_NETWORK mean allowlist: the real control plane, real
 * sandboxes, curl with its defaults.
 */
@Tag("hosts-file")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EgressDefaultsTest {

  private static final Path STATE_DIR = StateDirs.create("egress-defaults");

  @TempDir static Path certificates;
  private static LoopbackHosts hosts;

  @LocalServerPort int port;
  private Api api;

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    registry.add("SANDBOX_STATE_DIR", STATE_DIR::toString);
    registry.add("SANDBOX_EGRESS_ALLOW_PRIVATE", () -> LoopbackHosts.ALLOWED_IP + "/32");
    registry.add("SANDBOX_ALLOWED_HOSTS", () -> "allowed.test");
    registry.add("SANDBOX_DISALLOWED_HOSTS", () -> "denied.test");
  }

  @BeforeAll
  static void startHosts() throws Exception {
    hosts = new LoopbackHosts(certificates);
  }

  @AfterAll
  static void stopHosts() throws Exception {
    hosts.close();
  }

  @BeforeEach
  void connect() {
    api = new Api(port);
  }

  @AfterEach
  void deleteSandboxes() {
    for (var id : api.sandboxIds()) {
      api.delete("/sandboxes/" + id);
    }
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
