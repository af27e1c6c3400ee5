package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sbx.controlplane.testing.Api;
import dev.sbx.controlplane.testing.EventStream;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;

/**
 * A warm pool member's stream sidecar, through the real ingest handshake: it connects while its pod
 * waits to be claimed (not 404, which would back it off to 5 s and delay the first output after the
 * claim), and the same connection carries the output of the claimed sandbox's execs.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = ApiCallRecorder.class)
@ExtendWith({ApiCallRecorder.class, MockServerTeardown.class})
@DirtiesContext
// SidecarModeTest's settings with a warm pool of one (the duplicates tool reports the pair).
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "SANDBOX_RUNTIME=kubernetes",
      "SANDBOX_IDLE_TTL=0",
      "SANDBOX_WARM_POOL_SIZE=1",
      "SANDBOX_STREAM_MODE=sidecar",
      "SANDBOX_STREAM_SIDECAR_IMAGE=sbx-stream-sidecar:dev",
      "SANDBOX_STREAM_ENDPOINT=http://host.example:8080"
    })
class WarmSidecarIngestTest {

  private static final String EXEC = "0123456789abcdef";

  static KubernetesMockServer server;
  static KubernetesClient client;

  @LocalServerPort int port;

  @TestConfiguration
  static class Cluster {
    @Bean
    KubernetesClient kubernetesClient() {
      return client;
    }
  }

  @Test
  void aWarmSandboxsSidecarShouldConnectBeforeTheClaimAndCarryTheClaimedSandboxsOutput() {
    var api = new Api(port);
    await().atMost(Duration.ofSeconds(30)).until(() -> warmPods().size() == 1);
    var warm = warmPods().get(0);
    new MockCluster(server, client).markReady(warm);
    assertThat(api.sandboxIds()).as("hidden from users until claimed").doesNotContain(warm);

    try (var sidecar = FakeSidecar.connect(port, warm, MockCluster.ingestToken(client, warm))) {
      await().atMost(Duration.ofSeconds(30)).until(() -> gauge(api, "warm_pool_ready") == 1);
      assertThat(api.post("/sandboxes", "{}").text("id")).as("claimed").isEqualTo(warm);
      var stream = EventStream.open(api, "/sandboxes/" + warm + "/stream");
      assertThat(sidecar.send(start()).get("type").asString()).isEqualTo("ack");
      assertThat(sidecar.send(output("claimed\\n")).get("type").asString()).isEqualTo("ack");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  new String(stream.output(EXEC, "stdout"), StandardCharsets.UTF_8)
                      .equals("claimed\n"));
    }
  }

  private static double gauge(Api api, String name) {
    return api.get("/metrics")
        .body()
        .lines()
        .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static List<String> warmPods() {
    return client.namespaces().withLabel(Labels.LAUNCH_TYPE, Labels.WARM).list().getItems().stream()
        .map(namespace -> namespace.getMetadata().getName())
        .filter(id -> client.pods().inNamespace(id).withName(Labels.POD_NAME).get() != null)
        .toList();
  }

  private static String start() {
    return "{\"type\":\"start\",\"exec_id\":\"%s\",\"resume_seq\":0}".formatted(EXEC);
  }

  private static String output(String data) {
    return "{\"type\":\"output\",\"exec_id\":\"%s\",\"stream\":\"stdout\",\"offset\":0,\"data\":\"%s\",\"resume_seq\":1}"
        .formatted(EXEC, data);
  }
}
