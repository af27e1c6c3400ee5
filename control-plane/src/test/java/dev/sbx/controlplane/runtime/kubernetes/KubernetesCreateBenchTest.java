package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sbx.controlplane.runtime.ExecListener;
import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.runtime.OutputStreamKind;
import dev.sbx.controlplane.runtime.SandboxInfo;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.ErrorStreamMessage;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

/**
 * Benchmark for {@code make bench}, not a test of behaviour: API requests the Kubernetes runtime
 * makes per cold create, per get/list and per exec, counted from fabric8's mock API server's
 * request log. Writes a JSON fragment (system property {@code bench.out}) that the bench merges.
 */
@Tag("bench")
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = ApiCallRecorder.class)
@ExtendWith({ApiCallRecorder.class, MockServerTeardown.class})
class KubernetesCreateBenchTest {

  private static final int CREATES = 20;
  private static final int READS = 50;
  private static final int EXECS = 20;

  // fabric8's extension injects these static fields into each test class itself, and each class
  // opens its runtime with settings of its own: these lines stand again in the other mock-server
  // tests (the duplicates tool reports the pairs).
  static KubernetesMockServer server;
  static KubernetesClient client;

  private int taken;

  @Test
  void coldCreateApiWritesAndNoListPerGetOrExecAfterTheInformersStarted() throws Exception {
    var runtime = TestRuntimes.open(Templates.config(), client);
    var startup = kinds(drain());

    var writesPerCreate = new ArrayList<Integer>();
    var createKinds = new TreeMap<String, Integer>();
    for (int i = 0; i < CREATES; i++) {
      runtime.create(Templates.spec("sbx-bench-" + i));
      var requests = drain();
      writesPerCreate.add(
          (int)
              requests.stream()
                  .filter(r -> isWrite(r.getMethod()) && !isBackground(r.getPath()))
                  .count());
      kinds(requests).forEach((k, v) -> createKinds.merge(k, v, Integer::sum));
    }

    var id = "sbx-bench-0";
    new MockCluster(server, client).markReady(id);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> runtime.find(id).map(SandboxInfo::ready).orElse(false));
    drain(); // the test's own status write, and the reads of the wait
    for (int i = 0; i < READS; i++) {
      runtime.find(id);
      runtime.list();
    }
    var readKinds = kinds(drain());

    exec(runtime, id, "bench-exec-first");
    var oneExec = lines(drain());
    for (int i = 0; i < EXECS; i++) {
      exec(runtime, id, "bench-exec-" + i);
    }
    var execKinds = kinds(drain());
    Thread.sleep(LastExecTimes.FLUSH_INTERVAL.plusSeconds(1).toMillis());
    var batched = drain();
    runtime.close();

    assertThat(writesPerCreate).allMatch(w -> w > 0);
    var details = new LinkedHashMap<String, Object>();
    details.put("creates", CREATES);
    details.put("api_writes_per_create", writesPerCreate);
    details.put("requests_of_all_creates", createKinds);
    details.put("requests_at_start_up_informers", startup);
    details.put("requests_of_" + READS + "_find_plus_" + READS + "_list", readKinds);
    details.put("requests_of_" + EXECS + "_execs", execKinds);
    details.put("requests_of_one_exec", oneExec);
    details.put(
        "requests_in_the_" + LastExecTimes.FLUSH_INTERVAL.toSeconds() + "_s_after_them",
        lines(batched));
    double listsPerRead = count(readKinds, "LIST") / (double) (2 * READS);
    double listsPerExec = count(execKinds, "LIST") / (double) EXECS;
    double getsPerExec = count(execKinds, "GET") / (double) EXECS;
    details.put("list_requests_per_get_or_list_after_start_up", listsPerRead);
    details.put("list_requests_per_exec_after_start_up", listsPerExec);
    writeFragment(writesPerCreate, listsPerRead, listsPerExec, getsPerExec, details);
  }

  private static void exec(KubernetesRuntime runtime, String id, String execId) throws Exception {
    var spec = new ExecSpec(execId, List.of("true"), Map.of(), "/workspace", null);
    new MockCluster(server, client)
        .expectExec(
            id,
            spec,
            new ErrorStreamMessage(ExecScripts.STARTED + "\n"),
            new StatusStreamMessage(0));
    var outcome = new CompletableFuture<ExecOutcome>();
    runtime.exec(
        id,
        spec,
        new ExecListener() {
          @Override
          public void output(OutputStreamKind stream, byte[] data, int length) {}

          @Override
          public void finished(ExecOutcome result) {
            outcome.complete(result);
          }
        });
    assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo(ExecOutcome.exited(0));
  }

  /** The requests the mock server received since the last call. */
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

  /** Method and path (query cut short) of each request, for the report's evidence. */
  private static List<String> lines(List<RecordedRequest> requests) {
    return requests.stream()
        .map(r -> r.getMethod() + " " + r.getPath())
        .map(line -> line.length() > 140 ? line.substring(0, 140) + "..." : line)
        .toList();
  }

  /** Requests by kind: LIST, WATCH, GET, EXEC, or the method and resource of a write. */
  private static Map<String, Integer> kinds(List<RecordedRequest> requests) {
    var kinds = new TreeMap<String, Integer>();
    for (var request : requests) {
      kinds.merge(kind(request), 1, Integer::sum);
    }
    return kinds;
  }

  private static String kind(RecordedRequest request) {
    var path = request.getPath();
    var query = path.contains("?") ? path.substring(path.indexOf('?') + 1) : "";
    var segments =
        Arrays.stream(path.split("\\?")[0].split("/")).filter(s -> !s.isEmpty()).toList();
    // /api/v1/... or /apis/<group>/<version>/..., then
    // <resource>[/<name>[/<resource>[/<name>[/<subresource>]]]]
    int prefix = !segments.isEmpty() && segments.get(0).equals("apis") ? 3 : 2;
    var afterVersion = segments.subList(Math.min(prefix, segments.size()), segments.size());
    var resource =
        afterVersion.isEmpty()
            ? "?"
            : afterVersion.size() >= 3 ? afterVersion.get(2) : afterVersion.get(0);
    if (isWrite(request.getMethod())) {
      return request.getMethod() + " " + resource;
    }
    if (query.contains("watch=true")) {
      return "WATCH " + resource;
    }
    if (afterVersion.size() == 5) {
      return afterVersion.get(4).toUpperCase(Locale.ROOT);
    }
    return (afterVersion.size() % 2 == 1 ? "LIST " : "GET ") + resource;
  }

  /** Lease renewals run on a timer whatever the requests; they are not part of a create. */
  private static boolean isBackground(String path) {
    return path.startsWith("/apis/coordination.k8s.io/");
  }

  private static boolean isWrite(String method) {
    return List.of("POST", "PUT", "PATCH", "DELETE").contains(method);
  }

  private static int count(Map<String, Integer> kinds, String prefix) {
    return kinds.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .mapToInt(Map.Entry::getValue)
        .sum();
  }

  private static void writeFragment(
      List<Integer> writesPerCreate,
      double listsPerRead,
      double listsPerExec,
      double getsPerExec,
      Map<String, Object> details)
      throws Exception {
    var sorted = writesPerCreate.stream().sorted().toList();
    double median = sorted.get((int) Math.ceil(0.5 * sorted.size()) - 1);
    double p99 = sorted.get((int) Math.ceil(0.99 * sorted.size()) - 1);
    var figure = new LinkedHashMap<String, Object>();
    figure.put("median", median);
    figure.put("p99", p99);
    figure.put("runs", sorted.size());
    figure.put("unit", "writes");
    figure.put(
        "method",
        "POST/PUT/PATCH/DELETE requests per KubernetesRuntime.create against fabric8's CRUD mock"
            + " API server (emptydir volumes), from its request log; lease renewals"
            + " (coordination.k8s.io, on a timer) not counted");
    var fragment = new LinkedHashMap<String, Object>();
    var values = new LinkedHashMap<String, Object>();
    values.put("cold_create_api_writes", median);
    values.put("kubernetes_lists_per_get", listsPerRead);
    values.put("kubernetes_lists_per_exec", listsPerExec);
    values.put("kubernetes_gets_per_exec", getsPerExec);
    fragment.put("values", values);
    fragment.put("figures", Map.of("cold_create_api_writes", figure));
    fragment.put(
        "notes",
        Map.of(
            "kubernetes_lists_per_exec",
            "LIST requests the Kubernetes runtime sends per exec once its informers run; 0 is the"
                + " goal (get and list read the informers' cache). See details.kubernetes for the"
                + " requests of one exec.",
            "kubernetes_gets_per_exec",
            "GET requests of the pod per exec on a Ready sandbox (the exec's own upgrade is not"
                + " one); 0 since execs open their WebSocket without fabric8's readiness wait."));
    fragment.put("details", Map.of("kubernetes", details));
    var out =
        Path.of(System.getProperty("bench.out", "../bench/results/tmp/kubernetes.json"))
            .toAbsolutePath();
    Files.createDirectories(out.getParent());
    Files.writeString(
        out,
        JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(fragment));
  }
}
