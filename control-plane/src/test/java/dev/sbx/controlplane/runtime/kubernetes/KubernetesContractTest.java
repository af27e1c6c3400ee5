package dev.sbx.controlplane.runtime.kubernetes;

import static dev.sbx.controlplane.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sbx.controlplane.exec.ExecIds;
import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.testing.Api;
import dev.sbx.controlplane.testing.EventStream;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetricsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.ErrorStreamMessage;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import io.fabric8.mockwebserver.internal.WebSocketMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The HTTP API with the Kubernetes runtime behind it, on fabric8's mock API server: the same
 * contract as the local runtime's end-to-end tests, where a mock can show it.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = ApiCallRecorder.class)
@ExtendWith({ApiCallRecorder.class, MockServerTeardown.class})
// Closed after the class: a cached context would go on electing and watching against a mock API
// server that is gone, and log for the rest of the run.
@DirtiesContext
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"SANDBOX_RUNTIME=kubernetes", "SANDBOX_EXEC_READY_TIMEOUT=2s"})
class KubernetesContractTest {

  static KubernetesMockServer server;
  static KubernetesClient client;
  private static final AtomicInteger EXEC_IDS = new AtomicInteger();

  @LocalServerPort int port;

  // The client bean as in the other mock-server contexts: it hands the context the client that
  // fabric8's extension put in this class's static field (the duplicates tool reports the pairs).
  @TestConfiguration
  static class Cluster {
    @Bean
    KubernetesClient kubernetesClient() {
      return client;
    }

    // Pod exec paths carry the exec id, and mock expectations need exact paths.
    @Bean
    @Primary
    ExecIds predictableExecIds() {
      return new ExecIds() {
        @Override
        public String next() {
          return String.format("%016x", EXEC_IDS.incrementAndGet());
        }
      };
    }
  }

  @AfterEach
  void deleteSandboxes() {
    new Api(port).deleteSandboxes();
  }

  @Test
  void createGetListAndDeleteShouldWorkAsWithTheLocalRuntime() {
    var api = new Api(port);
    var created =
        api.post(
            "/sandboxes",
            "{\"id\":\"contract\",\"env\":{\"FOO\":\"bar\"},\"allowed_hosts\":[\"pypi.org\"]}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.text("id")).isEqualTo("sbx-contract");
    assertThat(created.text("namespace")).isEqualTo("sbx-contract");
    assertThat(created.text("runtime")).isEqualTo("kubernetes");
    assertThat(created.text("phase")).isEqualTo("Pending");

    var env = MockCluster.sandboxEnv(client, "sbx-contract");
    assertThat(env)
        .extracting(e -> e.getName() + "=" + e.getValue())
        .contains("FOO=bar", "HTTPS_PROXY=http://sbx-egress-proxy.sbx-system.svc:3128")
        .noneMatch(e -> e.startsWith("SBX_ALLOWED_HOSTS"));

    assertThat(api.get("/sandboxes/contract").text("id")).isEqualTo("sbx-contract");
    await().atMost(Duration.ofSeconds(5)).until(() -> api.sandboxIds().contains("sbx-contract"));
    assertThat(api.delete("/sandboxes/sbx-contract").status()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> api.get("/sandboxes/sbx-contract").status() == 404);
    assertProblem(api.delete("/sandboxes/sbx-contract"), 404, "sandbox-not-found");
  }

  @Test
  void syncExecShouldGiveStdoutStderrAndTheRealExitCode() {
    var api = new Api(port);
    api.post("/sandboxes", "{\"id\":\"exec\"}");
    new MockCluster(server, client).markReady("sbx-exec");
    var command = List.of("bash", "-lc", "echo out; echo err >&2; exit 3");
    var execId = String.format("%016x", EXEC_IDS.get() + 1);
    new MockCluster(server, client)
        .expectExec(
            "sbx-exec",
            new ExecSpec(execId, command, Map.of(), "/workspace", null),
            new ErrorStreamMessage("sbx:started\n"),
            new OutputStreamMessage("out\n"),
            new ErrorStreamMessage("err\n"),
            new StatusStreamMessage(3));
    var result = api.post("/sandboxes/sbx-exec/exec", Api.json(Map.of("command", command)));
    assertThat(result.status()).isEqualTo(200);
    assertThat(result.text("exec_id")).isEqualTo(execId);
    assertThat(result.text("stdout")).isEqualTo("out\n");
    assertThat(result.text("stderr")).isEqualTo("err\n");
    assertThat(result.json().get("exit_code").asInt()).isEqualTo(3);
    assertThat(result.text("status")).isEqualTo("completed");
  }

  @Test
  void lateSubscriberShouldGetEveryByteOfAnAsyncExecLongAfterTheBufferMovedOn() throws Exception {
    var api = new Api(port);
    api.post("/sandboxes", "{\"id\":\"late\"}");
    var cluster = new MockCluster(server, client);
    cluster.markReady("sbx-late");
    var command = List.of("bash", "-lc", "seq 1 1000");
    var execId = String.format("%016x", EXEC_IDS.get() + 1);
    // 1000 frames of 2 KB: five times the 200 events the in-memory buffer keeps.
    var frames = new ArrayList<WebSocketMessage>();
    frames.add(new ErrorStreamMessage("sbx:started\n"));
    var expected = new StringBuilder();
    for (int i = 1; i <= 1000; i++) {
      var chunk = String.format("%04d", i).repeat(500) + "\n";
      expected.append(chunk);
      frames.add(new OutputStreamMessage(chunk));
    }
    frames.add(new StatusStreamMessage(0));
    cluster.expectExec(
        "sbx-late",
        new ExecSpec(execId, command, Map.of(), "/workspace", null),
        frames.toArray(new WebSocketMessage[0]));
    var started =
        api.post("/sandboxes/sbx-late/exec", Api.json(Map.of("command", command, "async", true)));
    assertThat(started.status()).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                "completed".equals(api.get("/sandboxes/sbx-late/execs/" + execId).text("status")));

    var stream = EventStream.open(api, "/sandboxes/sbx-late/stream?exec_id=" + execId);
    assertThat(stream.awaitClose(Duration.ofSeconds(30))).isEqualTo(1000);
    assertThat(stream.events()).noneMatch(e -> e.type().equals("gap"));
    assertThat(new String(stream.output(execId, "stdout"), StandardCharsets.UTF_8))
        .isEqualTo(expected.toString());
  }

  @Test
  void execOnAPodThatIsNotReadyShouldBe409WithItsReason() {
    var api = new Api(port);
    api.post("/sandboxes", "{\"id\":\"stuck\"}");
    new MockCluster(server, client).markWaiting("sbx-stuck", "ImagePullBackOff");
    var result = api.post("/sandboxes/sbx-stuck/exec", "{\"command\":[\"true\"]}");
    assertProblem(result, 409, "sandbox-not-ready");
    assertThat(result.text("reason")).isEqualTo("ImagePullBackOff");
    assertThat(api.get("/sandboxes/sbx-stuck").text("reason")).isEqualTo("ImagePullBackOff");
  }

  @Test
  void limitsACreateAsksForShouldHoldThePodAndEverythingMadeInItsNamespaceLater() {
    var api = new Api(port);
    var created =
        api.post(
            "/sandboxes",
            "{\"id\":\"limited\",\"resources\":{\"cpu_limit\":\"500m\",\"mem_limit\":\"256Mi\","
                + "\"pids_limit\":100,\"disk_limit\":\"1Gi\"}}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);

    var pod = client.pods().inNamespace("sbx-limited").withName("sandbox").get();
    assertThat(pod.getSpec().getContainers().get(0).getResources().getLimits())
        .containsEntry("cpu", new Quantity("500m"))
        .containsEntry("memory", new Quantity("256Mi"))
        .containsEntry("ephemeral-storage", new Quantity("1Gi"));
    assertThat(pod.getSpec().getVolumes())
        .allSatisfy(v -> assertThat(v.getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("1Gi")));
    var range = client.limitRanges().inNamespace("sbx-limited").withName("sbx-limits").get();
    assertThat(range.getSpec().getLimits().get(0).getMax())
        .containsEntry("memory", new Quantity("256Mi"));
    var quota = client.resourceQuotas().inNamespace("sbx-limited").withName("sbx-limits").get();
    assertThat(quota.getSpec().getHard())
        .containsEntry("pods", new Quantity("1"))
        .containsEntry("limits.cpu", new Quantity("500m"))
        .containsEntry("limits.memory", new Quantity("256Mi"))
        .containsEntry("limits.ephemeral-storage", new Quantity("1Gi"));
    assertThat(quota.getMetadata().getLabels()).containsEntry("sbx.dev/sandbox-id", "sbx-limited");

    var resources = api.get("/sandboxes/limited").json().get("resources");
    assertThat(resources.get("cpu_limit").asString()).isEqualTo("500m");
    assertThat(resources.get("mem_limit").asString()).isEqualTo("256Mi");
    assertThat(resources.get("pids_limit").asLong()).isEqualTo(100);
    assertThat(resources.get("disk_limit").asString()).isEqualTo("1Gi");
    assertThat(resources.get("unenforced").get("pids_limit").asString()).contains("podPidsLimit");
    assertThat(api.get("/actuator/health/readiness").body()).contains("podPidsLimit");
  }

  @Test
  void createAskingAboveTheConfiguredLimitsShouldBe400AndCreateNothing() {
    var api = new Api(port);
    var response =
        api.post("/sandboxes", "{\"id\":\"greedy\",\"resources\":{\"mem_limit\":\"2Gi\"}}");
    assertProblem(response, 400, "invalid-request");
    assertThat(response.text("detail"))
        .contains("resources.mem_limit")
        .contains("SANDBOX_MEM_LIMIT");
    assertThat(client.namespaces().withName("sbx-greedy").get()).isNull();
  }

  @Test
  void getShouldShowTheMemoryThePodMetricsReport() {
    var api = new Api(port);
    api.post("/sandboxes", "{\"id\":\"measured\"}");
    server
        .expect()
        .get()
        .withPath("/apis/metrics.k8s.io/v1beta1/namespaces/sbx-measured/pods/sandbox")
        .andReturn(
            200,
            new PodMetricsBuilder()
                .withNewMetadata()
                .withName("sandbox")
                .withNamespace("sbx-measured")
                .endMetadata()
                .addNewContainer()
                .withName("stream")
                .addToUsage("memory", new Quantity("30Mi"))
                .endContainer()
                .addNewContainer()
                .withName("sandbox")
                .addToUsage("memory", new Quantity("100Mi"))
                .addToUsage("cpu", new Quantity("250m"))
                .endContainer()
                .build())
        .once();
    var usage = api.get("/sandboxes/measured").json().get("usage");
    assertThat(usage.get("memory_bytes").asLong()).isEqualTo(100L << 20);
  }

  @Test
  void badCreateRequestsShouldBe400AndCreateNothingInTheCluster() {
    var api = new Api(port);
    for (var body :
        List.of(
            "{\"volume_mode\":\"tmpfs\"}",
            "{\"cache_mode\":\"ramdisk\"}",
            "{\"cache_mode\":\"pvc\",\"cache_pvc_size\":\"lots\"}",
            "{\"image\":\"Not An Image\"}",
            "{\"env\":{\"1BAD\":\"x\"}}",
            "{\"allowed_hosts\":[\"a b\"]}")) {
      assertProblem(api.post("/sandboxes", body), 400, "invalid-request");
    }
    assertThat(client.namespaces().list().getItems())
        .extracting(ns -> ns.getMetadata().getName())
        .allMatch("sbx-warm-control"::equals); // the leader Lease's, made at start-up
  }
}
