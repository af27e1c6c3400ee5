package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sbx.controlplane.testing.Api;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The control plane with the Kubernetes runtime on fabric8's mock API server and its egress proxy
 * on TCP: a caller is the sandbox whose pod has its source address, as the informer cache says, and
 * nobody else. The test's own connections come from 127.0.0.1, so a pod given that IP is the
 * caller; an echo server on 127.0.0.7 stands in for a host on the internet.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = ApiCallRecorder.class)
@ExtendWith({ApiCallRecorder.class, MockServerTeardown.class})
// Closed after the class: a cached context would go on electing and watching against a mock API
// server that is gone, and log for the rest of the run.
@DirtiesContext
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"SANDBOX_RUNTIME=kubernetes"})
class KubernetesEgressProxyTest {

  static KubernetesMockServer server;
  static KubernetesClient client;
  private static final int PROXY_PORT = freePort();
  private static ServerSocket echo;

  @LocalServerPort int port;

  @TestConfiguration
  static class MockCluster {
    @Bean
    KubernetesClient kubernetesClient() {
      return client;
    }
  }

  @DynamicPropertySource
  static void proxyPort(DynamicPropertyRegistry registry) {
    registry.add("SANDBOX_EGRESS_PROXY_PORT", () -> String.valueOf(PROXY_PORT));
  }

  @BeforeAll
  static void startEcho() throws IOException {
    echo = new ServerSocket();
    echo.bind(new InetSocketAddress("127.0.0.7", 0));
    var thread =
        new Thread(
            () -> {
              while (!echo.isClosed()) {
                try (var socket = echo.accept()) {
                  socket.getOutputStream().write(socket.getInputStream().readNBytes(4));
                } catch (IOException e) {
                  // next
                }
              }
            },
            "echo");
    thread.setDaemon(true);
    thread.start();
  }

  @AfterAll
  static void stopEcho() throws IOException {
    echo.close();
  }

  @AfterEach
  void deleteSandboxes() {
    new Api(port).deleteSandboxes();
  }

  @Test
  void proxyShouldServeAPodByItsIpAndRefuseAnAddressThatIsNoSandbox() throws Exception {
    var api = new Api(port);
    var id = api.post("/sandboxes", "{\"allowed_hosts\":[\"127.0.0.7\"]}").text("id");
    var target = "127.0.0.7:" + echo.getLocalPort();

    assertThat(connect(target)).startsWith("HTTP/1.1 403 not a sandbox");

    var pod = client.pods().inNamespace(id).withName("sandbox").get();
    pod.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP("127.0.0.1").build());
    client.pods().inNamespace(id).resource(pod).updateStatus();
    await().atMost(Duration.ofSeconds(10)).until(() -> connect(target).startsWith("HTTP/1.1 200 "));

    assertThat(connect("127.0.0.8:" + echo.getLocalPort()))
        .startsWith("HTTP/1.1 403 127.0.0.8 is a loopback address");
    var attempts = api.get("/sandboxes/" + id + "/egress").json().get("attempts");
    assertThat(attempts.get(attempts.size() - 2).get("decision").asString()).isEqualTo("allowed");
    assertThat(attempts.get(attempts.size() - 1).get("decision").asString()).isEqualTo("denied");

    api.delete("/sandboxes/" + id);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> connect(target).startsWith("HTTP/1.1 403 not a sandbox"));
  }

  /** A CONNECT through the proxy; on 200 a 4-byte echo, and what came back. */
  private static String connect(String target) {
    try (var socket = new Socket()) {
      socket.setSoTimeout(10_000);
      socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      socket.connect(new InetSocketAddress("127.0.0.1", PROXY_PORT));
      var out = socket.getOutputStream();
      out.write(("CONNECT " + target + " HTTP/1.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      var in = socket.getInputStream();
      var head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int c = in.read();
        if (c < 0) {
          break;
        }
        head.append((char) c);
      }
      if (head.toString().startsWith("HTTP/1.1 200 ")) {
        out.write("ping".getBytes(StandardCharsets.US_ASCII));
        head.append(new String(in.readNBytes(4), StandardCharsets.US_ASCII));
      }
      return head.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
