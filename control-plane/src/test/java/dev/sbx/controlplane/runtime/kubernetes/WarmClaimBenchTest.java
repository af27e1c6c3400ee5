package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sbx.controlplane.runtime.LaunchType;
import dev.sbx.controlplane.runtime.SandboxSpec;
import dev.sbx.controlplane.testing.Specs;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

/**
 * Benchmark for {@code make bench}, not a test of behaviour: how long a create takes when it claims
 * a warm sandbox, and how many API writes the claim costs, against fabric8's mock API server.
 * Writes the fragment {@code warm-pool.json} next to {@code bench.out}.
 */
@Tag("bench")
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = ApiCallRecorder.class)
@ExtendWith({ApiCallRecorder.class, MockServerTeardown.class})
class WarmClaimBenchTest {

  private static final int POOL = 5;
  private static final int CLAIMS = 60;
  private static final int WARM_UP = 10;

  static KubernetesMockServer server;
  static KubernetesClient client;

  private int taken;

  @Test
  void warmClaimLatencyAndApiWrites() throws Exception {
    var runtime =
        TestRuntimes.open(
            Templates.config(
                "SANDBOX_WARM_POOL_SIZE", String.valueOf(POOL), "SANDBOX_IDLE_TTL", "0"),
            client);
    var cluster = new MockCluster(server, client);
    var millis = new ArrayList<Double>();
    var writesToClaimed = new ArrayList<Integer>();
    var writesMeanwhile = new ArrayList<Integer>();
    try {
      for (int i = 0; i < WARM_UP + CLAIMS; i++) {
        fillAndReady(runtime, cluster);
        drain();
        long started = System.nanoTime();
        var created = runtime.create(unnamed());
        double took = (System.nanoTime() - started) / 1e6;
        assertThat(created.launchType()).isEqualTo(LaunchType.WARM);
        var requests = drain();
        if (i < WARM_UP) {
          continue;
        }
        millis.add(took);
        var writes = requests.stream().filter(r -> isWrite(r.getMethod())).toList();
        var own = writes.stream().filter(r -> r.getPath().startsWith(path(created.id()))).count();
        writesToClaimed.add((int) own);
        writesMeanwhile.add((int) (writes.size() - own));
      }
    } finally {
      runtime.close();
    }
    writeFragment(millis, writesToClaimed, writesMeanwhile);
  }

  /** Waits until the pool refilled, and marks its new pods Ready as a kubelet would. */
  private void fillAndReady(KubernetesRuntime runtime, MockCluster cluster) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              for (var namespace :
                  client
                      .namespaces()
                      .withLabel(Labels.LAUNCH_TYPE, Labels.WARM)
                      .list()
                      .getItems()) {
                var id = namespace.getMetadata().getName();
                var pod = client.pods().inNamespace(id).withName(Labels.POD_NAME).get();
                if (pod != null && !WarmSandboxes.claimed(pod) && !SandboxStatus.of(pod).ready()) {
                  cluster.markReady(id);
                }
              }
              return runtime.pool().ready() == POOL;
            });
  }

  private List<RecordedRequest> drain() throws InterruptedException {
    var requests = new ArrayList<RecordedRequest>();
    while (taken < server.getRequestCount()) {
      var request = server.takeRequest(5, TimeUnit.SECONDS);
      if (request == null) {
        break;
      }
      taken++;
      requests.add(request);
    }
    return requests;
  }

  private static String path(String id) {
    return "/api/v1/namespaces/" + id + "/";
  }

  private static boolean isWrite(String method) {
    return List.of("POST", "PUT", "PATCH", "DELETE").contains(method);
  }

  private static SandboxSpec unnamed() {
    return Specs.unnamed();
  }

  private static Map<String, Object> figure(List<? extends Number> runs, String unit, String how) {
    var sorted = runs.stream().mapToDouble(Number::doubleValue).sorted().toArray();
    var figure = new LinkedHashMap<String, Object>();
    figure.put("median", round(sorted[(int) Math.ceil(0.5 * sorted.length) - 1]));
    figure.put("p99", round(sorted[(int) Math.ceil(0.99 * sorted.length) - 1]));
    figure.put("runs", sorted.length);
    figure.put("unit", unit);
    figure.put("method", how);
    return figure;
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private static void writeFragment(
      List<Double> millis, List<Integer> writesToClaimed, List<Integer> writesMeanwhile)
      throws Exception {
    var latency =
        figure(
            millis,
            "ms",
            "KubernetesRuntime.create of a request the warm template serves, pool of "
                + POOL
                + " Ready sandboxes, against fabric8's CRUD mock API server on loopback; "
                + WARM_UP
                + " claims of warm-up not counted");
    var writes =
        figure(
            writesToClaimed,
            "writes",
            "POST/PUT/PATCH/DELETE requests to the claimed sandbox's objects during the create,"
                + " from the mock server's request log");
    var values = new LinkedHashMap<String, Object>();
    values.put("warm_claim_p50_ms", latency.get("median"));
    values.put("warm_claim_p99_ms", latency.get("p99"));
    values.put("warm_claim_api_writes", writes.get("median"));
    var fragment = new LinkedHashMap<String, Object>();
    fragment.put("values", values);
    fragment.put("figures", Map.of("warm_claim_ms", latency, "warm_claim_api_writes", writes));
    fragment.put(
        "notes",
        Map.of(
            "warm_claim_api_writes",
            "the claim is one PUT of the pod (label sbx.dev/claimed, guarded by resourceVersion);"
                + " the refill it triggers runs in the background: "
                + figure(writesMeanwhile, "writes", "other writes while the create ran")
                    .get("median")
                + " other writes (median) landed during the create call"));
    var out =
        Path.of(System.getProperty("bench.out", "../bench/results/tmp/kubernetes.json"))
            .toAbsolutePath()
            .resolveSibling("warm-pool.json");
    Files.createDirectories(out.getParent());
    Files.writeString(
        out,
        JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(fragment));
  }
}
