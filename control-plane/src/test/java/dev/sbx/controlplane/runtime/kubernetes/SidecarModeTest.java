package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sbx.controlplane.runtime.IngestTokens;
import dev.sbx.controlplane.testing.Api;
import dev.sbx.controlplane.testing.EventStream;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sidecar stream mode on fabric8's mock API server: the pod gets the stream container, and the
 * ingest endpoint lets in only the sandbox's own credential and publishes only well-formed events.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = ApiCallRecorder.class)
@ExtendWith({ApiCallRecorder.class, MockServerTeardown.class})
// Closed after the class: a cached context would go on electing and watching against a mock API
// server that is gone, and log for the rest of the run.
@DirtiesContext
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "SANDBOX_RUNTIME=kubernetes",
      "SANDBOX_IDLE_TTL=0",
      "SANDBOX_STREAM_MODE=sidecar",
      "SANDBOX_STREAM_SIDECAR_IMAGE=sbx-stream-sidecar:dev",
      "SANDBOX_STREAM_ENDPOINT=http://host.example:8080"
    })
class SidecarModeTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String EXEC = "9b1c0e8f2a4d6c3e";

  // fabric8's extension injects these static fields into each test class itself, and each class
  // opens its runtime with settings of its own: these lines stand again in the other mock-server
  // tests (the duplicates tool reports the pairs).
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

  @AfterEach
  void deleteSandboxes() {
    new Api(port).deleteSandboxes();
  }

  @Test
  void thePodShouldGetTheStreamContainerWithTheEventsFolderAndItsOwnCredential() {
    var id = new Api(port).post("/sandboxes", "{\"id\":\"pod-spec\"}").text("id");
    var pod = client.pods().inNamespace(id).withName("sandbox").get();
    var spec = pod.getSpec();

    assertThat(spec.getContainers()).extracting(Container::getName).containsExactly("sandbox");
    // A native sidecar: the kubelet restarts it when it exits; the pod itself never restarts.
    assertThat(spec.getInitContainers()).extracting(Container::getName).containsExactly("stream");
    assertThat(spec.getInitContainers().get(0).getRestartPolicy()).isEqualTo("Always");
    assertThat(spec.getRestartPolicy()).isEqualTo("Never");
    assertThat(spec.getVolumes())
        .anySatisfy(
            volume -> {
              assertThat(volume.getName()).isEqualTo("sbx-events");
              assertThat(volume.getEmptyDir()).isNotNull();
            });
    var sandbox = spec.getContainers().get(0);
    var stream = spec.getInitContainers().get(0);
    for (var container : List.of(sandbox, stream)) {
      assertThat(container.getVolumeMounts())
          .anySatisfy(
              mount -> {
                assertThat(mount.getName()).isEqualTo("sbx-events");
                assertThat(mount.getMountPath()).isEqualTo("/sbx-events");
              });
    }
    assertThat(stream.getImage()).isEqualTo("sbx-stream-sidecar:dev");
    assertThat(env(stream, "SBX_STREAM_ENDPOINT").getValue()).isEqualTo("http://host.example:8080");
    assertThat(env(stream, "SBX_EVENTS_DIR").getValue()).isEqualTo("/sbx-events");
    assertThat(env(stream, "SBX_SANDBOX_ID").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.namespace");
    // From the namespace's Secret: whoever may read pods does not learn the token.
    var tokenRef = env(stream, "SBX_INGEST_TOKEN").getValueFrom().getSecretKeyRef();
    assertThat(tokenRef.getName()).isEqualTo("sbx-ingest-token");
    var token = MockCluster.ingestToken(client, id);
    assertThat(token).hasSize(64);
    assertThat(Serialization.asJson(pod)).doesNotContain(token);
    assertThat(sandbox.getEnv()).noneMatch(e -> e.getName().equals("SBX_INGEST_TOKEN"));
    assertThat(client.namespaces().withName(id).get().getMetadata().getAnnotations())
        .containsEntry(Labels.INGEST_TOKEN_SHA256, IngestTokens.sha256(token))
        .doesNotContainValue(token);
    var security = stream.getSecurityContext();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(security.getRunAsNonRoot()).isTrue();
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    assertThat(spec.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(stream.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(stream.getResources().getLimits()).containsKey("memory");
  }

  @Test
  void ingestShouldLetInOnlyTheSandboxsOwnCredential() {
    var api = new Api(port);
    var mine = api.post("/sandboxes", "{\"id\":\"mine\"}").text("id");
    var other = api.post("/sandboxes", "{\"id\":\"other\"}").text("id");

    assertThat(handshakeStatus(mine, null)).isEqualTo(401);
    assertThat(handshakeStatus(mine, "guess")).isEqualTo(403);
    assertThat(handshakeStatus(mine, token(other))).isEqualTo(403);
    assertThat(handshakeStatus("sbx-nobody", token(mine))).isEqualTo(404);
    try (var sidecar = FakeSidecar.connect(port, mine, token(mine))) {
      assertThat(sidecar.send(start(0)).get("type").asString()).isEqualTo("ack");
    }
  }

  @Test
  void wellFormedEventsShouldBePublishedOnceWithSeqsOfTheControlPlane() {
    var api = new Api(port);
    var id = api.post("/sandboxes", "{\"id\":\"publish\"}").text("id");
    try (var sidecar = FakeSidecar.connect(port, id, token(id))) {
      assertThat(sidecar.send(start(0)).get("seq").asLong()).isEqualTo(1);
      var stream = EventStream.open(api, "/sandboxes/" + id + "/stream?exec_id=" + EXEC);
      var out = sidecar.send(output("stdout", 0, "hello\n", 1));
      assertThat(out.get("seq").asLong()).isEqualTo(2);
      assertThat(out.get("offset").asLong()).isEqualTo(6);
      // Sent again (the sidecar missed the ack): acknowledged, not published twice.
      assertThat(sidecar.send(output("stdout", 0, "hello\n", 1)).get("offset").asLong())
          .isEqualTo(6);
      sidecar.send(
          """
          {"type":"output","exec_id":"%s","stream":"stderr","offset":0,"data":"//79","encoding":"base64","resume_seq":2}"""
              .formatted(EXEC));
      var exit = sidecar.send(exit(3, 3));
      assertThat(exit.get("seq").asLong()).isEqualTo(4);

      await().atMost(Duration.ofSeconds(5)).until(stream::isClosed);
      assertThat(stream.events())
          .extracting(EventStream.Received::type)
          .containsExactly("start", "output", "output", "exit");
      assertThat(stream.events())
          .extracting(r -> r.event().get("seq").asLong())
          .containsExactly(1L, 2L, 3L, 4L);
      assertThat(stream.output(EXEC, "stdout")).asString().isEqualTo("hello\n");
      assertThat(stream.output(EXEC, "stderr")).containsExactly(0xff, 0xfe, 0xfd);
      var last = stream.events().get(3).event();
      assertThat(last.get("exit_code").asInt()).isEqualTo(3);
      assertThat(last.get("status").asString()).isEqualTo("completed");
    }
  }

  @Test
  void aChunkSentAgainWithMoreBehindItShouldPublishOnlyTheNewBytes() {
    var api = new Api(port);
    var id = api.post("/sandboxes", "{\"id\":\"overlap\"}").text("id");
    try (var sidecar = FakeSidecar.connect(port, id, token(id))) {
      sidecar.send(start(0));
      var stream = EventStream.open(api, "/sandboxes/" + id + "/stream?exec_id=" + EXEC);
      sidecar.send(output("stdout", 0, "line 1\n", 1));
      // A restarted sidecar that never saw that ack reads the file again from 0, which has
      // grown meanwhile: the chunk repeats line 1 and carries line 2 behind it.
      var again = sidecar.send(output("stdout", 0, "line 1\nline 2\n", 1));
      assertThat(again.get("offset").asLong()).isEqualTo(14);
      // The cut can fall inside a character: the first byte of "é" went alone (as base64), then
      // the whole "é!" again.
      sidecar.send(
          """
          {"type":"output","exec_id":"%s","stream":"stdout","offset":14,"data":"ww==","encoding":"base64","resume_seq":3}"""
              .formatted(EXEC));
      assertThat(sidecar.send(output("stdout", 14, "\u00e9!\n", 4)).get("offset").asLong())
          .isEqualTo(18);
      sidecar.send(exit(0, 5));

      await().atMost(Duration.ofSeconds(5)).until(stream::isClosed);
      assertThat(stream.output(EXEC, "stdout"))
          .isEqualTo("line 1\nline 2\n\u00e9!\n".getBytes(StandardCharsets.UTF_8));
      var outputs =
          stream.events().stream().filter(r -> r.type().equals("output")).map(r -> r.event());
      assertThat(outputs)
          .extracting(event -> event.get("offset").asLong())
          .containsExactly(0L, 7L, 14L, 15L);
    }
  }

  @Test
  void afterARestartAnExecShouldGoOnAtTheSeqTheSidecarHadAcknowledged() {
    var api = new Api(port);
    var id = api.post("/sandboxes", "{\"id\":\"resume\"}").text("id");
    try (var sidecar = FakeSidecar.connect(port, id, token(id))) {
      // This process never saw the exec: a restarted control plane.
      assertThat(sidecar.send(start(7)).get("seq").asLong()).isEqualTo(7);
      var stream =
          EventStream.open(api, "/sandboxes/" + id + "/stream?exec_id=" + EXEC + "&from_seq=8");
      assertThat(sidecar.send(output("stdout", 40, "more\n", 7)).get("seq").asLong()).isEqualTo(8);
      sidecar.send(exit(0, 8));
      await().atMost(Duration.ofSeconds(5)).until(stream::isClosed);
      assertThat(stream.events())
          .extracting(EventStream.Received::type)
          .containsExactly("output", "exit");
      assertThat(stream.events().get(0).event().get("seq").asLong()).isEqualTo(8);
    }
  }

  @Test
  void malformedEventsShouldBeRefusedCountedAndNeverPublished() {
    var api = new Api(port);
    var id = api.post("/sandboxes", "{\"id\":\"malformed\"}").text("id");
    var everything = EventStream.open(api, "/sandboxes/" + id + "/stream");
    double rejectedBefore = rejected(api);
    try (var sidecar = FakeSidecar.connect(port, id, token(id))) {
      var frames =
          new String[] {
            "not json",
            "[1,2]",
            "{\"type\":\"start\"}",
            "{\"type\":\"start\",\"exec_id\":\"../../etc\"}",
            "{\"type\":\"launch\",\"exec_id\":\"" + EXEC + "\"}",
            "{\"type\":\"output\",\"exec_id\":\""
                + EXEC
                + "\",\"stream\":\"stdin\",\"offset\":0,\"data\":\"x\"}",
            "{\"type\":\"output\",\"exec_id\":\""
                + EXEC
                + "\",\"stream\":\"stdout\",\"offset\":-1,\"data\":\"x\"}",
            "{\"type\":\"output\",\"exec_id\":\""
                + EXEC
                + "\",\"stream\":\"stdout\",\"offset\":0,\"data\":\"%%\",\"encoding\":\"base64\"}",
            "{\"type\":\"exit\",\"exec_id\":\"" + EXEC + "\",\"exit_code\":\"zero\"}",
            output("stdout", 0, "x".repeat(64 * 1024 + 1), 0),
            "{\"type\":\"start\",\"exec_id\":\""
                + EXEC
                + "\",\"pad\":\""
                + "y".repeat(300 * 1024)
                + "\"}"
          };
      for (var frame : frames) {
        var reply = sidecar.send(frame);
        assertThat(reply.get("type").asString())
            .as(frame.substring(0, Math.min(80, frame.length())))
            .isEqualTo("error");
        assertThat(reply.get("detail").asString()).isNotBlank();
      }
      // The connection is still good for well-formed events.
      assertThat(sidecar.send(start(0)).get("type").asString()).isEqualTo("ack");
    }
    assertThat(rejected(api) - rejectedBefore).isEqualTo(11);
    await().atMost(Duration.ofSeconds(5)).until(() -> !everything.events().isEmpty());
    assertThat(everything.events()).extracting(EventStream.Received::type).containsExactly("start");
  }

  private static double rejected(Api api) {
    return api.get("/metrics")
        .body()
        .lines()
        .filter(line -> line.startsWith("sandbox_ingest_rejected_total"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static String token(String id) {
    return MockCluster.ingestToken(client, id);
  }

  private static EnvVar env(Container container, String name) {
    return container.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private int handshakeStatus(String id, String token) {
    try {
      FakeSidecar.connect(port, id, token).close();
      return 101;
    } catch (CompletionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException handshake) {
        return handshake.getResponse().statusCode();
      }
      throw e;
    }
  }

  private static String start(long resumeSeq) {
    return "{\"type\":\"start\",\"exec_id\":\"%s\",\"resume_seq\":%d}".formatted(EXEC, resumeSeq);
  }

  private static String output(String stream, long offset, String data, long resumeSeq) {
    return "{\"type\":\"output\",\"exec_id\":\"%s\",\"stream\":\"%s\",\"offset\":%d,\"data\":\"%s\",\"resume_seq\":%d}"
        .formatted(EXEC, stream, offset, data.replace("\n", "\\n"), resumeSeq);
  }

  private static String exit(int code, long resumeSeq) {
    return "{\"type\":\"exit\",\"exec_id\":\"%s\",\"exit_code\":%d,\"resume_seq\":%d}"
        .formatted(EXEC, code, resumeSeq);
  }
}
