package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * {@code deploy/kind/rbac.yaml} allows every API call the control plane makes. The calls come from
 * every mock-server test ({@link ApiCallRecorder} checks them after each test class); this class
 * checks that they all take part, and the cases a cluster found first.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = ApiCallRecorder.class)
@ExtendWith({ApiCallRecorder.class, MockServerTeardown.class})
class RbacCoverageTest {

  static KubernetesClient client;

  @Test
  void everyMockServerTestShouldHaveItsApiCallsChecked() {
    var scanner = new ClassPathScanningCandidateComponentProvider(false);
    scanner.addIncludeFilter(new AnnotationTypeFilter(EnableKubernetesMockClient.class));
    var unchecked = new ArrayList<String>();
    var found = scanner.findCandidateComponents("dev.sbx");
    for (var definition : found) {
      var type = load(definition.getBeanClassName());
      var mock = type.getAnnotation(EnableKubernetesMockClient.class);
      var extensions = type.getAnnotation(ExtendWith.class);
      if (mock.kubernetesClientBuilderCustomizer() != ApiCallRecorder.class
          || extensions == null
          || !Arrays.asList(extensions.value()).contains(ApiCallRecorder.class)) {
        unchecked.add(type.getSimpleName());
      }
    }
    assertThat(found).hasSizeGreaterThan(10);
    assertThat(unchecked)
        .as("mock-server tests whose API calls nobody holds against rbac.yaml")
        .isEmpty();
  }

  @Test
  void leaseRenewalsShouldBeAllowed() {
    // fabric8's LeaseLock renews, takes over and releases with a JSON merge PATCH.
    var leading = new AtomicBoolean();
    try (var leadership =
        new Leadership(client, "sbx-warm-control", TestRuntimes.QUICK_LEASE, leading::set)) {
      leadership.start();
      await().atMost(Duration.ofSeconds(20)).untilTrue(leading);
      var lease = client.leases().inNamespace("sbx-warm-control").withName(Leadership.LEASE).get();
      var acquired = lease.getSpec().getRenewTime();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  !client
                      .leases()
                      .inNamespace("sbx-warm-control")
                      .withName(Leadership.LEASE)
                      .get()
                      .getSpec()
                      .getRenewTime()
                      .equals(acquired));
    }
    var renewal = new ApiCall("patch", "coordination.k8s.io", "leases", "", "sbx-warm-control");
    assertThat(ApiCallRecorder.seen()).contains(renewal);
    assertThat(RbacGrants.deployed().allows(renewal)).isTrue();
  }

  @Test
  void aLeaseRoleWithoutPatchShouldFailTheCheck() {
    var withoutPatch =
        """
        kind: Role
        apiVersion: rbac.authorization.k8s.io/v1
        metadata: {name: sbx, namespace: sbx-warm-control}
        rules:
          - apiGroups: ["coordination.k8s.io"]
            resources: ["leases"]
            verbs: ["get", "create", "update"]
        ---
        kind: RoleBinding
        apiVersion: rbac.authorization.k8s.io/v1
        metadata: {name: sbx, namespace: sbx-warm-control}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: sbx}
        subjects: [{kind: ServiceAccount, name: sbx-control-plane, namespace: sbx-system}]
        """;
    var rbac = RbacGrants.of(new StringReader(withoutPatch), "sbx-control-plane", "sbx-system");
    var lease = "/apis/coordination.k8s.io/v1/namespaces/sbx-warm-control/leases/sbx-control-plane";
    assertThat(rbac.allows(call("GET", lease))).isTrue();
    assertThat(rbac.allows(call("PATCH", lease))).isFalse();
    assertThat(rbac.allows(call("GET", lease.replace("sbx-warm-control", "elsewhere")))).isFalse();
  }

  @Test
  void requestsShouldResolveAsTheApiServerResolvesThem() {
    assertThat(call("GET", "/api/v1/namespaces/sbx-a/pods/sandbox/exec?command=ls&stdout=true"))
        .isEqualTo(new ApiCall("get", "", "pods", "exec", "sbx-a"));
    assertThat(call("GET", "/api/v1/namespaces?labelSelector=a%3Db&watch=true"))
        .isEqualTo(new ApiCall("watch", "", "namespaces", "", null));
    assertThat(call("DELETE", "/api/v1/namespaces/sbx-a"))
        .isEqualTo(new ApiCall("delete", "", "namespaces", "", "sbx-a"));
    assertThat(call("DELETE", "/api/v1/namespaces/sbx-a/pods"))
        .isEqualTo(new ApiCall("deletecollection", "", "pods", "", "sbx-a"));
    assertThat(call("POST", "/apis/networking.k8s.io/v1/namespaces/sbx-a/networkpolicies"))
        .isEqualTo(new ApiCall("create", "networking.k8s.io", "networkpolicies", "", "sbx-a"));
    assertThat(call("GET", "/version").nonResource()).isTrue();
  }

  @Test
  void aWebSocketExecShouldNeedBothGetAndCreate() throws Exception {
    var deployed = Files.readString(RbacGrants.DEPLOYED);
    var getOnly = deployed.replace("verbs: [\"create\", \"get\"]", "verbs: [\"get\"]");
    assertThat(getOnly).isNotEqualTo(deployed);
    var exec = call("GET", "/api/v1/namespaces/sbx-a/pods/sandbox/exec?command=ls");
    assertThat(RbacGrants.deployed().allows(exec)).isTrue();
    assertThat(
            RbacGrants.of(new StringReader(getOnly), "sbx-control-plane", "sbx-system")
                .allows(exec))
        .isFalse();
  }

  private static ApiCall call(String method, String pathAndQuery) {
    return ApiCall.of(method, URI.create("https://api.example" + pathAndQuery));
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
