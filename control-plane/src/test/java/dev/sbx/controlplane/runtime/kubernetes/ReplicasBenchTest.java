package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.testing.Api;
import dev.sbx.controlplane.testing.DigestStream;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.ErrorStreamMessage;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import io.fabric8.mockwebserver.internal.WebSocketMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

/**
 * Benchmark for {@code make bench}, not a test of behaviour: what forwarding between two replicas
 * costs, against fabric8's mock API server, both replicas in this JVM on this machine. Side by side
 * in one run, alternating: a sync {@code true} and a status read sent to the owner and the same
 * sent to the other replica; a stream read whole from the owner and through the other; and requests
 * per second from 8 clients spread over both replicas against the same to one replica alone. Writes
 * the fragment {@code replicas.json} next to {@code bench.out}.
 */
@Tag("bench")
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = ApiCallRecorder.class)
@ExtendWith({ApiCallRecorder.class, MockServerTeardown.class})
class ReplicasBenchTest {

  private static final int EXECS = 300;
  private static final int READS = 2000;
  private static final int STREAM_CHUNKS = 32; // of 1 MiB
  private static final int STREAM_ROUNDS = 3;
  private static final int CLIENTS = 8;
  private static final Duration LOAD = Duration.ofSeconds(10);
  private static final AtomicInteger EXEC_IDS = new AtomicInteger(0x900);

  static KubernetesMockServer server;
  static KubernetesClient client;

  @Test
  void forwardingCost() throws Exception {
    var values = new LinkedHashMap<String, Object>();
    var figures = new LinkedHashMap<String, Object>();
    try (var pair = new ReplicaPair(server, client, () -> String.format("%016x", EXEC_IDS.get()))) {
      pair.start(pair.portA);
      pair.start(pair.portB);
      var owner = new Api(pair.portA);
      var other = new Api(pair.portB);
      var cluster = new MockCluster(server, client);
      var id = pair.ownedBy(pair.portA, "bench");
      owner.post("/sandboxes", "{\"id\":\"" + id.substring(4) + "\"}");
      cluster.markReady(id);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> owner.get("/sandboxes/" + id).status() == 200);

      // Sync `true`: each exec its own pod exec on the mock, the same work either way.
      var direct = new ArrayList<Double>();
      var forwarded = new ArrayList<Double>();
      for (int i = 0; i < EXECS; i++) {
        direct.add(syncTrue(owner, cluster, id));
        forwarded.add(syncTrue(other, cluster, id));
      }
      figures.put(
          "forwarded_exec_true_ms",
          figure(
              forwarded,
              "sync exec of true sent to the"
                  + " replica that does not own the sandbox (forwarded), mock API server"));
      figures.put("direct_exec_true_ms", figure(direct, "the same sent to the owner, alternating"));
      values.put("forwarded_exec_added_p50_ms", round(p(forwarded, 50) - p(direct, 50)));
      values.put("forwarded_exec_added_p99_ms", round(p(forwarded, 99) - p(direct, 99)));

      // A read the owner answers from memory: what forwarding adds, with nothing else in it.
      var execPath = "/sandboxes/" + id + "/execs/" + String.format("%016x", EXEC_IDS.get());
      var readDirect = new ArrayList<Double>();
      var readForwarded = new ArrayList<Double>();
      for (int i = 0; i < READS; i++) {
        readDirect.add(timed(() -> assertThat(owner.get(execPath).status()).isEqualTo(200)));
        readForwarded.add(timed(() -> assertThat(other.get(execPath).status()).isEqualTo(200)));
      }
      figures.put(
          "forwarded_get_exec_ms",
          figure(
              readForwarded,
              "GET of an exec's status through" + " the replica that does not own it"));
      figures.put("direct_get_exec_ms", figure(readDirect, "the same from the owner, alternating"));
      values.put("forwarded_get_added_p50_ms", round(p(readForwarded, 50) - p(readDirect, 50)));
      values.put("forwarded_get_added_p99_ms", round(p(readForwarded, 99) - p(readDirect, 99)));

      // A stream read whole (binary frames) after the exec ended, from the owner's store.
      var streamed = streamedExec(owner, cluster, id);
      double directMb = 0;
      double forwardedMb = 0;
      for (int round = 0; round < STREAM_ROUNDS; round++) {
        directMb += megabytesPerSecond(owner, id, streamed);
        forwardedMb += megabytesPerSecond(other, id, streamed);
      }
      values.put("forwarded_stream_mb_per_s", round(forwardedMb / STREAM_ROUNDS));
      values.put("direct_stream_mb_per_s", round(directMb / STREAM_ROUNDS));
      values.put("forwarded_stream_ratio", round(forwardedMb / directMb));

      // Throughput: 8 clients reading statuses, half of their requests landing on the
      // non-owner, against all 8 on the owner.
      double both = throughput(List.of(owner, other), execPath);
      double one = throughput(List.of(owner), execPath);
      values.put("two_replicas_get_rps", round(both));
      values.put("one_replica_get_rps", round(one));
      values.put("two_replicas_vs_one_ratio", round(both / one));
    }
    var fragment = new LinkedHashMap<String, Object>();
    fragment.put("values", values);
    fragment.put("figures", figures);
    fragment.put(
        "notes",
        Map.of(
            "two_replicas_vs_one_ratio",
            "both replicas run in one JVM on this machine's 2 cores, with half the requests"
                + " forwarded: the figure shows forwarding's overhead, not the gain of a second"
                + " node, which needs replicas on machines of their own"));
    var out =
        Path.of(System.getProperty("bench.out", "../bench/results/tmp/kubernetes.json"))
            .toAbsolutePath()
            .resolveSibling("replicas.json");
    Files.createDirectories(out.getParent());
    Files.writeString(
        out,
        JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(fragment));
  }

  private static double syncTrue(Api api, MockCluster cluster, String id) {
    var execId = String.format("%016x", EXEC_IDS.incrementAndGet());
    cluster.expectExec(
        id,
        new ExecSpec(execId, List.of("true"), Map.of(), "/workspace", null),
        new ErrorStreamMessage("sbx:started\n"),
        new StatusStreamMessage(0));
    return timed(
        () -> {
          var result = api.post("/sandboxes/" + id + "/exec", "{\"command\":[\"true\"]}");
          assertThat(result.status()).as(result.body()).isEqualTo(200);
        });
  }

  private static String streamedExec(Api api, MockCluster cluster, String id) {
    var execId = String.format("%016x", EXEC_IDS.incrementAndGet());
    var frames = new ArrayList<WebSocketMessage>();
    frames.add(new ErrorStreamMessage("sbx:started\n"));
    var chunk = "x".repeat(1024 * 1023) + "\n";
    for (int i = 0; i < STREAM_CHUNKS; i++) {
      frames.add(new OutputStreamMessage(chunk));
    }
    frames.add(new StatusStreamMessage(0));
    cluster.expectExec(
        id,
        new ExecSpec(execId, List.of("cat", "big"), Map.of(), "/workspace", null),
        frames.toArray(new WebSocketMessage[0]));
    var result = api.post("/sandboxes/" + id + "/exec", "{\"command\":[\"cat\",\"big\"]}");
    assertThat(result.status()).as(result.body()).isEqualTo(200);
    return execId;
  }

  private static double megabytesPerSecond(Api api, String id, String execId) throws Exception {
    long start = System.nanoTime();
    var stream =
        DigestStream.open(
            api, "/sandboxes/" + id + "/stream?exec_id=" + execId + "&format=binary", false);
    assertThat(stream.awaitClose(Duration.ofMinutes(2))).isEqualTo(1000);
    double seconds = (System.nanoTime() - start) / 1e9;
    return stream.tally().bytes(0) / 1e6 / seconds;
  }

  private static double throughput(List<Api> replicas, String path) throws Exception {
    var done = new AtomicLong();
    var pool = Executors.newFixedThreadPool(CLIENTS);
    long end = System.nanoTime() + LOAD.toNanos();
    for (int c = 0; c < CLIENTS; c++) {
      var api = replicas.get(c % replicas.size());
      pool.execute(
          () -> {
            while (System.nanoTime() < end) {
              if (api.get(path).status() == 200) {
                done.incrementAndGet();
              }
            }
          });
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(LOAD.toSeconds() + 30, TimeUnit.SECONDS)).isTrue();
    return done.get() / (double) LOAD.toSeconds();
  }

  private static double timed(Runnable call) {
    long start = System.nanoTime();
    call.run();
    return (System.nanoTime() - start) / 1e6;
  }

  private static double p(List<Double> samples, int percentile) {
    var sorted = samples.stream().sorted().toList();
    return sorted.get((int) Math.ceil(percentile / 100.0 * sorted.size()) - 1);
  }

  private static Map<String, Object> figure(List<Double> samples, String method) {
    var figure = new LinkedHashMap<String, Object>();
    figure.put("median", round(p(samples, 50)));
    figure.put("p99", round(p(samples, 99)));
    figure.put("runs", samples.size());
    figure.put("unit", "ms");
    figure.put("method", method);
    return figure;
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
