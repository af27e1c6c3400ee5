package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sbx.controlplane.config.ConfigLoader;
import dev.sbx.controlplane.runtime.EgressPolicy;
import dev.sbx.controlplane.runtime.LaunchType;
import dev.sbx.controlplane.runtime.NetworkMode;
import dev.sbx.controlplane.runtime.Resources;
import dev.sbx.controlplane.runtime.SandboxSpec;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Egress on Kubernetes, against fabric8's mock API server: every sandbox namespace, cold or from
 * the warm pool, gets the NetworkPolicy before its pod; pods are told where the proxy is; a claim
 * applies the requested policy; a pod IP leads to its sandbox and nothing else does.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = ApiCallRecorder.class)
@ExtendWith({ApiCallRecorder.class, MockServerTeardown.class})
class KubernetesEgressTest {

  static KubernetesMockServer server;
  static KubernetesClient client;

  private KubernetesRuntime runtime;

  @AfterEach
  void close() {
    if (runtime != null) {
      runtime.close();
      MockCluster.deleteSandboxNamespaces(client);
    }
  }

  private KubernetesRuntime runtime(String... settings) {
    var env = new HashMap<String, String>();
    for (int i = 0; i < settings.length; i += 2) {
      env.put(settings[i], settings[i + 1]);
    }
    runtime = TestRuntimes.open(ConfigLoader.load(env), client);
    return runtime;
  }

  private static SandboxSpec spec(String id, NetworkMode mode, List<String> allowed) {
    return new SandboxSpec(
        id,
        Map.of(),
        null,
        null,
        allowed,
        List.of(),
        SandboxSpec.Storage.DEFAULT,
        id != null,
        mode,
        Resources.NONE);
  }

  @Test
  void createShouldWallThePodInBeforeItStartsAndTellItWhereTheProxyIs() throws Exception {
    runtime("SANDBOX_EGRESS_PROXY_NAMESPACE", "sbx-system");
    runtime.create(spec("sbx-walled", NetworkMode.ALLOWLIST, List.of("pypi.org")));

    var policy = networkPolicy("sbx-walled");
    assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
    var ingress = policy.getSpec().getIngress();
    assertThat(ingress).hasSize(1);
    assertThat(ingress.get(0).getFrom().get(0).getNamespaceSelector().getMatchLabels())
        .containsEntry("kubernetes.io/metadata.name", "sbx-system");
    assertThat(ingress.get(0).getFrom().get(0).getPodSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/name", "sbx-control-plane");
    var egress = policy.getSpec().getEgress();
    assertThat(egress).hasSize(2);
    assertThat(egress.get(0).getPorts())
        .extracting(p -> p.getProtocol() + "/" + p.getPort().getIntVal())
        .containsExactly("UDP/53", "TCP/53");
    assertThat(egress.get(0).getTo().get(0).getPodSelector().getMatchLabels())
        .containsEntry("k8s-app", "kube-dns");
    assertThat(egress.get(1).getPorts())
        .extracting(p -> p.getProtocol() + "/" + p.getPort().getIntVal())
        .containsExactly("TCP/3128");
    assertThat(egress.get(1).getTo().get(0).getPodSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/name", "sbx-control-plane");
    // created before the pod, so the pod never runs without it
    assertThat(creationOrder("sbx-walled")).containsSubsequence("networkpolicies", "pods");

    var env = MockCluster.sandboxEnv(client, "sbx-walled");
    assertThat(env)
        .extracting(e -> e.getName() + "=" + e.getValue())
        .contains(
            "HTTP_PROXY=http://sbx-egress-proxy.sbx-system.svc:3128",
            "https_proxy=http://sbx-egress-proxy.sbx-system.svc:3128",
            "NO_PROXY=localhost,127.0.0.1,::1");
    assertThat(runtime.egressPolicy("sbx-walled"))
        .contains(new EgressPolicy(NetworkMode.ALLOWLIST, List.of("pypi.org"), List.of()));
  }

  @Test
  void claimFromTheWarmPoolShouldHaveTheWallsAlreadyAndTakeTheRequestedPolicy() {
    runtime("SANDBOX_WARM_POOL_SIZE", "1", "SANDBOX_IDLE_TTL", "0");
    await().atMost(Duration.ofSeconds(10)).until(() -> runtime.leading());
    runtime.reconcilePool();
    var warm =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    client
                        .namespaces()
                        .withLabel(Labels.LAUNCH_TYPE, Labels.WARM)
                        .list()
                        .getItems(),
                items -> !items.isEmpty())
            .get(0)
            .getMetadata()
            .getName();
    await().atMost(Duration.ofSeconds(10)).until(() -> networkPolicy(warm) != null);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> client.pods().inNamespace(warm).withName("sandbox").get() != null);
    new MockCluster(server, client).markReady(warm);
    await().atMost(Duration.ofSeconds(10)).until(() -> runtime.pool().ready() == 1);

    var info = runtime.create(spec(null, NetworkMode.OPEN, List.of()));

    assertThat(info.launchType()).isEqualTo(LaunchType.WARM);
    assertThat(info.id()).isEqualTo(warm);
    assertThat(runtime.egressPolicy(warm))
        .contains(new EgressPolicy(NetworkMode.OPEN, List.of(), List.of()));
    assertThat(client.namespaces().withName(warm).get().getMetadata().getAnnotations())
        .containsEntry("sbx.network", "open");
  }

  @Test
  void updateShouldApplyAtOnceAndBeKeptInTheCluster() {
    runtime();
    runtime.create(spec("sbx-patched", NetworkMode.NONE, List.of()));
    var open =
        new EgressPolicy(NetworkMode.ALLOWLIST, List.of("github.com"), List.of("gist.github.com"));

    runtime.updateEgressPolicy("sbx-patched", open);

    assertThat(runtime.egressPolicy("sbx-patched")).contains(open);
    assertThat(client.namespaces().withName("sbx-patched").get().getMetadata().getAnnotations())
        .containsEntry("sbx.network", "allowlist")
        .containsEntry("sbx.allowed_hosts", "github.com")
        .containsEntry("sbx.disallowed_hosts", "gist.github.com");
  }

  @Test
  void sandboxAtShouldKnowAPodByItsIpAndNothingElse() throws Exception {
    runtime();
    runtime.create(spec("sbx-caller", NetworkMode.OPEN, List.of()));
    setPodIp("sbx-caller", "10.244.0.7");

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> runtime.sandboxAt(InetAddress.getByName("10.244.0.7")).isPresent());
    assertThat(runtime.sandboxAt(InetAddress.getByName("10.244.0.7"))).contains("sbx-caller");
    assertThat(runtime.sandboxAt(InetAddress.getByName("10.244.0.8"))).isEmpty();
    assertThat(runtime.sandboxAt(InetAddress.getByName("127.0.0.1"))).isEmpty();
  }

  private void setPodIp(String id, String ip) {
    var pod = client.pods().inNamespace(id).withName("sandbox").get();
    pod.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP(ip).build());
    client.pods().inNamespace(id).resource(pod).updateStatus();
  }

  private static NetworkPolicy networkPolicy(String namespace) {
    return client
        .network()
        .v1()
        .networkPolicies()
        .inNamespace(namespace)
        .withName("sbx-egress")
        .get();
  }

  /** The kinds of objects created in a namespace, in the order the API server saw them. */
  private static List<String> creationOrder(String namespace) throws InterruptedException {
    var kinds = new ArrayList<String>();
    var count = server.getRequestCount();
    for (int i = 0; i < count; i++) {
      var request = server.takeRequest(1, TimeUnit.SECONDS);
      if (request == null) {
        break;
      }
      var path = request.getPath();
      if ("POST".equals(request.getMethod()) && path.contains("/namespaces/" + namespace + "/")) {
        kinds.add(path.substring(path.lastIndexOf('/') + 1).split("\\?")[0]);
      }
    }
    return kinds;
  }
}
