package dev.sbx.controlplane.egress;

import static dev.sbx.controlplane.egress.LoopbackHosts.BODY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.controlplane.testing.Api;
import dev.sbx.controlplane.testing.Cli;
import dev.sbx.controlplane.testing.StateDirs;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Egress end to end: the real control plane and proxy, real bubblewrap sandboxes, curl inside them
 * with its defaults (the proxy comes from the environment), and hosts on this machine's loopback
 * addresses standing in for the internet. The control plane's JVM resolves {@code allowed.test} and
 * friends from {@code egress-hosts}; only 127.0.0.7 is opened by SANDBOX_EGRESS_ALLOW_PRIVATE, so
 * names leading to 127.0.0.8 show the refusal of forbidden ranges.
 */
class LocalEgressE2ETest extends EgressControlPlaneTest {

  private static final Path STATE_DIR = StateDirs.create("egress");

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    egressSettings(registry, STATE_DIR);
    registry.add("SANDBOX_EXEC_MAX_OUTPUT", () -> "1MiB");
  }

  @Test
  void allowlistShouldLetAllowedHostsThroughOverHttpAndHttpsAndRefuseTheRest() {
    var id = create("{\"allowed_hosts\":[\"allowed.test\",\"rebind.test\"]}");
    assertThat(api.get("/sandboxes/" + id).text("network")).isEqualTo("allowlist");
    trustTestCertificate(id);

    var http = run(id, "curl -sS -m 10 " + url("allowed.test"));
    assertThat(http.stdout()).as(http.toString()).isEqualTo(BODY);
    var tls = run(id, "curl -sS -m 10 --cacert /tmp/ca.pem " + tlsUrl("allowed.test"));
    assertThat(tls.stdout()).as(tls.toString()).isEqualTo(BODY);

    var denied = run(id, "curl -sS -m 10 -w ' %{http_code}' " + url("denied.test"));
    assertThat(denied.stdout()).isEqualTo("not in allowed_hosts\n 403");
    var deniedTls = run(id, "curl -sS -m 10 --cacert /tmp/ca.pem " + tlsUrl("denied.test"));
    assertThat(deniedTls.exitCode()).isEqualTo(56); // curl: CONNECT tunnel failed
    assertThat(deniedTls.stderr()).contains("403");

    var rebound =
        run(
            id,
            "curl -sS -m 10 -w ' %{http_code}' http://rebind.test:" + hosts.forbiddenPort() + "/");
    assertThat(rebound.stdout()).isEqualTo("127.0.0.8 is a loopback address\n 403");
    assertThat(hosts.forbiddenConnections()).isZero();

    var direct =
        run(
            id,
            "curl -sS -m 5 --noproxy '*' http://"
                + LoopbackHosts.ALLOWED_IP
                + ":"
                + hosts.httpPort()
                + "/; echo \" exit=$?\"; curl -sS -m 5 --noproxy '*' http://192.0.2.1/; echo \" exit=$?\"");
    assertThat(direct.stdout())
        .as(direct.toString())
        .doesNotContain(BODY)
        .contains(" exit=7", " exit=7");

    var attempts = api.get("/sandboxes/" + id + "/egress").json().get("attempts");
    var seen = new ArrayList<String>();
    attempts.forEach(
        a ->
            seen.add(
                a.get("method").asString()
                    + " "
                    + a.get("host").asString()
                    + " "
                    + a.get("decision").asString()));
    assertThat(seen)
        .containsExactly(
            "GET allowed.test allowed",
            "CONNECT allowed.test allowed",
            "GET denied.test denied",
            "CONNECT denied.test denied",
            "GET rebind.test denied");
    var tunnel = attempts.get(1);
    assertThat(tunnel.get("address").asString()).isEqualTo(LoopbackHosts.ALLOWED_IP);
    assertThat(tunnel.get("bytes_sent").asLong()).isPositive();
    assertThat(tunnel.get("bytes_received").asLong()).isGreaterThan(BODY.length());
    assertThat(tunnel.get("reason").asString()).isEqualTo("allowed_hosts: allowed.test");
    assertThat(attempts.get(4).get("reason").asString())
        .isEqualTo("127.0.0.8 is a loopback address");

    var metrics = api.get("/metrics").body();
    assertThat(metrics)
        .containsPattern("sandbox_egress_connections_total\\{decision=\"allowed\"[^}]*} [1-9]")
        .containsPattern("sandbox_egress_connections_total\\{decision=\"denied\"[^}]*} [1-9]")
        .containsPattern("sandbox_egress_bytes_total\\{direction=\"in\"[^}]*} [1-9]")
        .containsPattern("sandbox_egress_bytes_total\\{direction=\"out\"[^}]*} [1-9]");

    var cli = new Cli(api).run("egress", "-id", id);
    assertThat(cli.exitCode()).as(cli.toString()).isZero();
    assertThat(cli.out()).contains("allowed.test").contains("not in allowed_hosts");
  }

  @Test
  void curlWithItsDefaultsShouldUploadABigBodyAndReuseItsProxyConnectionCleanly() {
    var id = create("{\"allowed_hosts\":[\"allowed.test\"]}");
    // Above 1 MiB curl sends Expect: 100-continue and waits for the host's 100 before the body;
    // with two URLs it keeps its connection to the proxy for the second unless told it closes.
    var upload =
        run(
            id,
            "head -c 3000000 /dev/zero > /tmp/big; curl -sS -m 30 -v --data-binary @/tmp/big "
                + url("allowed.test")
                + " 2>/tmp/err; grep -ci 'expect: 100-continue' /tmp/err");
    assertThat(upload.stdout()).as(upload.toString()).isEqualTo("received 3000000\n1\n");
    var twice =
        run(id, "curl -sS -m 10 -v " + url("allowed.test") + " " + url("allowed.test") + " 2>&1");
    assertThat(twice.stdout())
        .as(twice.toString())
        .contains("< Connection: close")
        .doesNotContain("Connection died")
        .doesNotContain("Re-using");
    assertThat(twice.stdout().split(BODY, -1)).as(twice.toString()).hasSize(3);
  }

  @Test
  void noneShouldConnectNothingAndRunNoForwarder() {
    var id = create("{\"network\":\"none\"}");
    var tried =
        run(
            id,
            "curl -sS -m 5 "
                + url("allowed.test")
                + "; echo \" exit=$?\";"
                + " curl -sS -m 5 "
                + tlsUrl("allowed.test")
                + "; echo \" exit=$?\";"
                + " curl -sS -m 5 --noproxy '*' http://192.0.2.1/; echo \" exit=$?\";"
                + " ls /run/sbx/egress 2>&1; ps -eo args");
    assertThat(tried.stdout())
        .doesNotContain(BODY)
        .contains(" exit=7\n exit=7\n exit=7\n")
        .contains("No such file")
        .doesNotContain("EgressForwarder")
        .doesNotContain("--forward");
    assertThat(api.get("/sandboxes/" + id + "/egress").json().get("attempts")).isEmpty();
  }

  @Test
  void openShouldStillRefuseDisallowedHostsAndForbiddenAddresses() {
    var id = create("{\"network\":\"open\",\"disallowed_hosts\":[\"denied.test\"]}");
    assertThat(run(id, "curl -sS -m 10 " + url("other.test")).stdout()).isEqualTo(BODY);
    assertThat(run(id, "curl -sS -m 10 -w ' %{http_code}' " + url("denied.test")).stdout())
        .isEqualTo("disallowed_hosts: denied.test\n 403");
    assertThat(
            run(
                    id,
                    "curl -sS -m 10 -w ' %{http_code}' http://metadata.test:"
                        + hosts.forbiddenPort()
                        + "/")
                .stdout())
        .isEqualTo("127.0.0.8 is a loopback address\n 403");
    assertThat(hosts.forbiddenConnections()).isZero();
  }

  @Test
  void patchShouldChangeThePolicyForTheNextConnectionWithoutARestart() {
    var id = create("{}");
    assertThat(run(id, "curl -sS -m 5 " + url("allowed.test")).exitCode()).isEqualTo(7);

    var patched = patch(id, "{\"allowed_hosts\":[\"allowed.test\"]}");
    assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    assertThat(patched.json().get("network").asString()).isEqualTo("allowlist");
    assertThat(patched.json().get("allowed_hosts").get(0).asString()).isEqualTo("allowed.test");
    var pid = run(id, "echo $$").stdout();
    assertThat(run(id, "curl -sS -m 10 " + url("allowed.test")).stdout()).isEqualTo(BODY);

    patch(id, "{\"disallowed_hosts\":[\"allowed.test\"]}");
    assertThat(run(id, "curl -sS -m 10 -w ' %{http_code}' " + url("allowed.test")).stdout())
        .isEqualTo("disallowed_hosts: allowed.test\n 403");

    patch(id, "{\"network\":\"none\",\"disallowed_hosts\":[]}");
    assertThat(run(id, "curl -sS -m 10 -w ' %{http_code}' " + url("allowed.test")).stdout())
        .isEqualTo("network is none\n 403");
    assertThat(api.get("/sandboxes/" + id).text("network")).isEqualTo("none");
    assertThat(pid).isNotEmpty();

    var bad = patch(id, "{\"allowed_hosts\":[\"pypi.org\",\"exa mple.com\"]}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.text("detail")).contains("allowed_hosts").contains("exa mple.com");
    assertThat(patch("sbx-nope", "{\"network\":\"open\"}").status()).isEqualTo(404);
  }

  @Test
  void createWithABadEntryShouldAnswer400NamingIt() {
    var response = api.post("/sandboxes", "{\"allowed_hosts\":[\"10.0.0.0/33\"]}");
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.text("detail")).contains("allowed_hosts").contains("10.0.0.0/33");
    var mode = api.post("/sandboxes", "{\"network\":\"everything\"}");
    assertThat(mode.status()).isEqualTo(400);
    assertThat(mode.text("detail")).contains("network");
  }

  @Test
  void sandboxShouldNotUseAnothersChannelPortOrIdentity() throws Exception {
    var open = create("{\"network\":\"open\"}");
    var narrow = create("{\"allowed_hosts\":[\"other.test\"]}");
    var openSocket = STATE_DIR.resolve(open).resolve("run/egress/proxy.sock");
    assertThat(Files.exists(openSocket)).isTrue();

    var tried =
        run(
            narrow,
            // the other's socket, by its host path and by where it sits in the other sandbox
            "curl -sS -m 5 --unix-socket "
                + openSocket
                + " --request-target "
                + url("allowed.test")
                + " http://x/; echo \" exit=$?\";"
                + " ls /run/sbx/egress;"
                // the other's port: this sandbox's own loopback answers, not the other's
                + " curl -sS -m 10 -w ' %{http_code}' --proxy http://127.0.0.1:3128 "
                + url("allowed.test")
                + ";"
                // the other's identity, claimed in every way a client can
                + " curl -sS -m 10 -w ' %{http_code}' --proxy-user "
                + open
                + ":x -H 'X-Sbx-Sandbox: "
                + open
                + "' "
                + url("allowed.test"));
    assertThat(tried.stdout())
        .as(tried.toString())
        .contains(" exit=7")
        // its own socket only (and the JDK forwarder's classes where there is no native one)
        .containsPattern("\n(classes\n)?proxy.sock\n")
        .doesNotContain(BODY)
        .endsWith("not in allowed_hosts\n 403not in allowed_hosts\n 403");
    var narrowAttempts = api.get("/sandboxes/" + narrow + "/egress").json().get("attempts");
    assertThat(narrowAttempts).hasSize(2);
    assertThat(api.get("/sandboxes/" + open + "/egress").json().get("attempts")).isEmpty();
  }

  private String create(String body) {
    var response = api.post("/sandboxes", body);
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return response.text("id");
  }

  private Api.Response patch(String id, String body) {
    return api.send(
        api.request("/sandboxes/" + id)
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(body)));
  }

  private void trustTestCertificate(String id) {
    var response =
        api.post(
            "/sandboxes/" + id + "/exec",
            Api.json(
                Map.of(
                    "command", List.of("bash", "-c", "cat > /tmp/ca.pem"),
                    "stdin", hosts.caPem())));
    assertThat(response.json().get("exit_code").asInt()).as(response.body()).isZero();
  }

  private static String url(String host) {
    return "http://" + host + ":" + hosts.httpPort() + "/";
  }

  private static String tlsUrl(String host) {
    return "https://" + host + ":" + hosts.httpsPort() + "/";
  }

  /** What a sync exec of {@code bash -c script} answered. */
  record Result(int exitCode, String stdout, String stderr) {}

  private Result run(String id, String script) {
    var response = api.bash(id, script);
    JsonNode json = response.json();
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return new Result(
        json.get("exit_code").asInt(),
        json.get("stdout").asString(),
        json.get("stderr").asString());
  }
}
