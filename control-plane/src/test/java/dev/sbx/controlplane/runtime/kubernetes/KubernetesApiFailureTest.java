package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sbx.controlplane.runtime.RuntimeUnavailableException;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An API server that fails or stalls gives 503 problems, quickly, never a hang. Apart from the
 * other mock-server tests, since a stalled mock server delays every request behind it.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = ApiCallRecorder.class)
@ExtendWith({ApiCallRecorder.class, MockServerTeardown.class})
class KubernetesApiFailureTest {

  static KubernetesMockServer server;
  static KubernetesClient client;

  @Test
  void apiServerErrorsShouldBecome503() {
    server.expect().post().withPath("/api/v1/namespaces").andReturn(500, "boom").once();
    var impatient = impatient(5_000);
    assertThatThrownBy(() -> impatient.create(Templates.spec("sbx-500")))
        .isInstanceOfSatisfying(
            RuntimeUnavailableException.class,
            e -> assertThat(e.getStatusCode().value()).isEqualTo(503));
  }

  @Test
  void aSlowApiServerShouldBecome503InsteadOfAHang() {
    server
        .expect()
        .post()
        .delay(3, TimeUnit.SECONDS)
        .withPath("/api/v1/namespaces")
        .andReturn(201, "{}")
        .once();
    var impatient = impatient(500);
    long started = System.nanoTime();
    assertThatThrownBy(() -> impatient.create(Templates.spec("sbx-slow")))
        .isInstanceOf(RuntimeUnavailableException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
  }

  private final List<KubernetesRuntime> opened = new ArrayList<>();

  @org.junit.jupiter.api.AfterEach
  void close() {
    opened.forEach(KubernetesRuntime::close);
  }

  /** A runtime whose client gives up after one try and the given time. */
  private KubernetesRuntime impatient(int requestTimeoutMillis) {
    // No pool and no reaper, so no leader election: the failing request is the create's own.
    var runtime =
        TestRuntimes.open(
            Templates.config("SANDBOX_IDLE_TTL", "0"),
            new KubernetesClientBuilder()
                .withConfig(
                    new ConfigBuilder(client.getConfiguration())
                        .withRequestTimeout(requestTimeoutMillis)
                        .withRequestRetryBackoffLimit(0)
                        .build())
                .build());
    opened.add(runtime);
    return runtime;
  }
}
