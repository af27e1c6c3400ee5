package dev.sbx.controlplane.web;

import static dev.sbx.controlplane.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sbx.controlplane.runtime.SandboxRuntime;
import dev.sbx.controlplane.testing.Api;
import dev.sbx.controlplane.testing.EventStream;
import dev.sbx.controlplane.testing.FakeSandboxRuntime;
import dev.sbx.controlplane.testing.TerminalClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;

/** With SANDBOX_API_TOKEN set, every route and the WebSocket handshake need the token. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BearerTokenTest {

  private static final String TOKEN = "s3cret-token";

  @LocalServerPort int port;

  // The token is the web edge's business: any runtime shows it, so the one that runs anywhere.
  @TestBean SandboxRuntime sandboxRuntime;

  static SandboxRuntime sandboxRuntime() {
    return new FakeSandboxRuntime();
  }

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    registry.add("SANDBOX_API_TOKEN", () -> TOKEN);
  }

  @Test
  void requestsWithoutTheRightTokenShouldBe401AndChangeNothing() {
    var anonymous = new Api(port);
    var wrong = new Api(port, "guess");
    for (var response :
        new Api.Response[] {
          anonymous.post("/sandboxes", "{}"),
          wrong.post("/sandboxes", "{}"),
          anonymous.get("/sandboxes"),
          anonymous.get("/metrics"),
          anonymous.get("/v3/api-docs")
        }) {
      assertProblem(response, 401, "unauthorized");
    }
    assertThat(new Api(port, TOKEN).sandboxIds()).isEmpty();
  }

  @Test
  void probesShouldAnswerWithoutTheToken() {
    var anonymous = new Api(port);
    assertThat(anonymous.get("/healthz").status()).isEqualTo(200);
    assertThat(anonymous.get("/actuator/health/liveness").status()).isEqualTo(200);
    assertThat(anonymous.get("/actuator/health/readiness").status()).isEqualTo(200);
    assertThat(anonymous.get("/actuator/health").status()).isEqualTo(401);
  }

  @Test
  void unauthorizedResponsesShouldAskForABearerToken() throws Exception {
    var response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sandboxes"))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"sbx\"");
  }

  @Test
  void requestsWithTheTokenShouldWork() {
    var api = new Api(port, TOKEN);
    var id = api.createSandbox();
    assertThat(
            api.post("/sandboxes/" + id + "/exec", "{\"command\":[\"echo\",\"ok\"]}")
                .text("stdout"))
        .isEqualTo("ok\n");
    assertThat(api.delete("/sandboxes/" + id).status()).isEqualTo(200);
  }

  @Test
  void streamHandshakeWithTheTokenShouldStream() throws Exception {
    var api = new Api(port, TOKEN);
    var id = api.createSandbox();
    try {
      var started =
          api.post("/sandboxes/" + id + "/exec", "{\"command\":[\"echo\",\"hi\"],\"async\":true}");
      var stream =
          EventStream.open(api, "/sandboxes/" + id + "/stream?exec_id=" + started.text("exec_id"));
      assertThat(stream.awaitClose(Duration.ofSeconds(10))).isEqualTo(1000);
      assertThat(stream.events()).hasSize(3);
    } finally {
      api.delete("/sandboxes/" + id);
    }
  }

  @Test
  void terminalHandshakeWithoutTheTokenShouldBe401() {
    assertHandshakeRefused(path -> TerminalClient.open(new Api(port), path), "/tty");
  }

  @Test
  void streamHandshakeWithoutTheTokenShouldBe401() {
    assertHandshakeRefused(path -> EventStream.open(new Api(port), path), "/stream");
  }

  /** A WebSocket of the sandbox's at that route, opened without the token, is refused with 401. */
  private void assertHandshakeRefused(java.util.function.Consumer<String> open, String route) {
    var api = new Api(port, TOKEN);
    var id = api.createSandbox();
    try {
      assertThatThrownBy(() -> open.accept("/sandboxes/" + id + route))
          .isInstanceOf(CompletionException.class)
          .cause()
          .isInstanceOfSatisfying(
              WebSocketHandshakeException.class,
              e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
    } finally {
      api.delete("/sandboxes/" + id);
    }
  }
}
