package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.controlplane.testing.Api;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;

/** Readiness follows the API server: down when it stops answering. */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = ApiCallRecorder.class)
@ExtendWith({ApiCallRecorder.class, MockServerTeardown.class})
// Closed after the class: a cached context would go on electing and watching against a mock API
// server that is gone, and log for the rest of the run.
@DirtiesContext
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "SANDBOX_RUNTIME=kubernetes")
class KubernetesReadinessTest {

  static KubernetesMockServer server;
  static KubernetesClient client;

  @LocalServerPort int port;

  @TestConfiguration
  static class MockCluster {
    @Bean
    KubernetesClient kubernetesClient() {
      // Fails at once when the server is gone, as a configured client does within its timeout.
      return new KubernetesClientBuilder()
          .withConfig(
              new ConfigBuilder(client.getConfiguration())
                  .withRequestRetryBackoffLimit(0)
                  .withRequestTimeout(2_000)
                  .build())
          .build();
    }
  }

  @Test
  void readinessShouldGoDownWhenTheApiServerStopsAnswering() {
    var api = new Api(port);
    assertThat(api.get("/actuator/health/readiness").status()).isEqualTo(200);
    server.destroy();
    var down = api.get("/actuator/health/readiness");
    assertThat(down.status()).isEqualTo(503);
    assertThat(down.json().at("/components/runtime/details/runtime").asString())
        .isEqualTo("kubernetes");
    assertThat(api.get("/actuator/health/liveness").status()).isEqualTo(200);
  }
}
