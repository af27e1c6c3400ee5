package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sbx.controlplane.problem.InvalidRequestException;
import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.runtime.SandboxDeletingException;
import dev.sbx.controlplane.runtime.SandboxInfo;
import dev.sbx.controlplane.runtime.SandboxNotReadyException;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Where fabric8's mock server is kinder than a real API server, the real answer is scripted here,
 * word for word as the API server and the kubelet give it: the ServiceAccount admission race, other
 * admission denials, terminating namespaces and execs into a completed pod.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = ApiCallRecorder.class)
@ExtendWith({ApiCallRecorder.class, MockServerTeardown.class})
class RealApiServerAnswersTest {

  static KubernetesMockServer server;
  static KubernetesClient client;

  private KubernetesRuntime runtime;
  private MockCluster cluster;

  @BeforeEach
  void open() {
    runtime =
        TestRuntimes.open(
            Templates.config("SANDBOX_EXEC_READY_TIMEOUT", "2s", "SANDBOX_IDLE_TTL", "0"), client);
    cluster = new MockCluster(server, client);
  }

  @AfterEach
  void close() {
    runtime.close();
  }

  @Test
  void aPodCreateRefusedWhileTheDefaultServiceAccountIsMissingShouldBeRetried() {
    // The ServiceAccount admission plugin looks the account up even with
    // automountServiceAccountToken: false, and answers 403 until the controller made it.
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/sbx-young/pods")
        .andReturn(
            403,
            forbidden(
                "pods \"sandbox\" is forbidden: error looking up service account"
                    + " sbx-young/default: serviceaccount \"default\" not found"))
        .times(3);
    var info = runtime.create(Templates.spec("sbx-young"));
    assertThat(info.id()).isEqualTo("sbx-young");
    assertThat(client.pods().inNamespace("sbx-young").withName("sandbox").get()).isNotNull();
  }

  @Test
  void aPodRefusedByPodSecurityShouldBeA400WithTheApiServersWordsAndLeaveNothing() {
    var words =
        "pods \"sandbox\" is forbidden: violates PodSecurity \"restricted:latest\":"
            + " runAsNonRoot != true (pod or container \"sandbox\" must set"
            + " securityContext.runAsNonRoot=true)";
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/sbx-strict/pods")
        .andReturn(403, forbidden(words))
        .once();
    assertThatThrownBy(() -> runtime.create(Templates.spec("sbx-strict")))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.getStatusCode().value()).isEqualTo(400);
              assertThat(e.getBody().getDetail()).contains(words);
            });
    assertThat(client.namespaces().withName("sbx-strict").get()).isNull();
  }

  @Test
  void aPodRefusedByOurOwnRbacShouldStayAServerError() {
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/sbx-rbac/pods")
        .andReturn(
            403,
            forbidden(
                "pods is forbidden: User \"system:serviceaccount:sbx-system:sbx-control-plane\""
                    + " cannot create resource \"pods\" in API group \"\" in the namespace"
                    + " \"sbx-rbac\""))
        .once();
    assertThatThrownBy(() -> runtime.create(Templates.spec("sbx-rbac")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not allowed");
  }

  @Test
  void aSecondDeleteWhileTheNamespaceTerminatesShouldSayItIsBeingDeleted() {
    runtime.create(Templates.spec("sbx-twice"));
    await().atMost(Duration.ofSeconds(5)).until(() -> runtime.find("sbx-twice").isPresent());
    // What the API server answers a delete of a namespace that is terminating already.
    server
        .expect()
        .delete()
        .withPath("/api/v1/namespaces/sbx-twice")
        .andReturn(
            409,
            new StatusBuilder()
                .withStatus("Failure")
                .withReason("Conflict")
                .withCode(409)
                .withMessage(
                    "Operation cannot be fulfilled on namespaces \"sbx-twice\": The system is"
                        + " ensuring all content is removed from this namespace.  Upon"
                        + " completion, this namespace will automatically be purged by the"
                        + " system.")
                .build())
        .once();
    assertThat(runtime.delete("sbx-twice")).isTrue();
  }

  @Test
  void aDeleteOfANamespaceSeenTerminatingShouldSayItIsBeingDeleted() {
    terminatingNamespace("sbx-going");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> runtime.list().stream().noneMatch(s -> s.id().equals("sbx-going")));
    assertThat(runtime.find("sbx-going")).isEmpty();
    assertThat(runtime.delete("sbx-going")).isTrue();
  }

  @Test
  void aCreateReusingTheIdOfATerminatingSandboxShouldSayRetryNotExists() {
    terminatingNamespace("sbx-reuse");
    assertThat(runtime.find("sbx-reuse")).isEmpty();
    assertThatThrownBy(() -> runtime.create(Templates.spec("sbx-reuse")))
        .isInstanceOfSatisfying(
            SandboxDeletingException.class,
            e -> {
              assertThat(e.getStatusCode().value()).isEqualTo(409);
              assertThat(e.getHeaders().getFirst("Retry-After")).isEqualTo("5");
              assertThat(e.getBody().getDetail()).contains("being deleted");
            });
  }

  @Test
  void anExecIntoACompletedPodShouldBe409NotReadyNotTheClientsFault() {
    runtime.create(Templates.spec("sbx-done"));
    cluster.markReady("sbx-done");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> runtime.find("sbx-done").map(SandboxInfo::ready).orElse(false));
    var spec = new ExecSpec("e1", List.of("true"), Map.of(), "/workspace", null);
    // The kubelet's answer once the pod's containers have ended (the cache still says Ready).
    server
        .expect()
        .get()
        .withPath(MockCluster.execPath("sbx-done", spec))
        .andReturn(
            400,
            new StatusBuilder()
                .withStatus("Failure")
                .withReason("BadRequest")
                .withCode(400)
                .withMessage(
                    "cannot exec into a container in a completed pod; current phase is Succeeded")
                .build())
        .once();
    assertThatThrownBy(() -> runtime.exec("sbx-done", spec, new KubernetesRuntimeTest.Recording()))
        .isInstanceOfSatisfying(
            SandboxNotReadyException.class,
            e -> assertThat(e.getStatusCode().value()).isEqualTo(409));
  }

  /** A namespace of ours as the API server shows it between a delete and its end. */
  private static void terminatingNamespace(String id) {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder(SandboxManifests.namespace(id, Templates.template(), "cold"))
                .editMetadata()
                .withDeletionTimestamp(Instant.now().toString())
                .withFinalizers("kubernetes")
                .endMetadata()
                .withNewStatus()
                .withPhase("Terminating")
                .endStatus()
                .build())
        .create();
  }

  private static Status forbidden(String message) {
    return new StatusBuilder()
        .withStatus("Failure")
        .withReason("Forbidden")
        .withCode(403)
        .withMessage(message)
        .build();
  }
}
