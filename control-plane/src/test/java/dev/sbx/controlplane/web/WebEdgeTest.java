package dev.sbx.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.controlplane.exec.ExecService;
import dev.sbx.controlplane.metrics.SandboxMetrics;
import dev.sbx.controlplane.peers.Ownership;
import dev.sbx.controlplane.problem.ProblemWriter;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The web edge alone: the filters (token, body limit, request id), strict JSON, and the exception
 * handler, in front of a controller of the test's own.
 */
@WebMvcTest(
    controllers = {HealthController.class, WebEdgeTest.Echo.class},
    properties = "SANDBOX_API_TOKEN=" + WebEdgeTest.TOKEN)
@Import({WebConfiguration.class, StrictJsonConfiguration.class, ProblemWriter.class})
class WebEdgeTest {

  static final String TOKEN = "edge-token";

  @Autowired MockMvcTester mvc;
  @MockitoBean SandboxMetrics metrics;
  // One replica: the forwarding filter passes every request through.
  @MockitoBean Ownership ownership;
  @MockitoBean ExecService execs;

  @TestConfiguration
  static class Settings {
    @Bean
    Echo echo() {
      return new Echo();
    }
  }

  /** Takes a body with a number, and fails on request. */
  @RestController
  static class Echo {
    record Body(int count) {}

    @PostMapping("/echo")
    Body echo(@RequestBody Body body) {
      if (body.count() < 0) {
        throw new IllegalStateException("a bug");
      }
      return body;
    }
  }

  @Test
  void requestsWithoutTheTokenShouldBe401ProblemsAskingForIt() {
    assertThat(mvc.post().uri("/echo").contentType(MediaType.APPLICATION_JSON).content("{}"))
        .hasStatus(401)
        .hasHeader("WWW-Authenticate", "Bearer realm=\"sbx\"")
        .bodyJson()
        .extractingPath("$.type")
        .isEqualTo("urn:sbx:problem:unauthorized");
    assertThat(mvc.get().uri("/healthz")).as("probes need no token").hasStatusOk();
  }

  @Test
  void aRequestShouldGetAnIdAndPassWithTheToken() {
    var result = echo("{\"count\":2}");
    assertThat(result).hasStatusOk().bodyJson().isLenientlyEqualTo("{\"count\":2}");
    assertThat(result.getResponse().getHeader("X-Request-Id")).isNotBlank();
  }

  @Test
  void aStringWhereANumberBelongsShouldBe400NamingTheField() {
    assertThat(echo("{\"count\":\"2\"}"))
        .hasStatus(400)
        .bodyJson()
        .isLenientlyEqualTo(
            """
            {"type":"urn:sbx:problem:invalid-request","field":"count",
             "detail":"count: expected an integer","error":"count: expected an integer"}
            """);
  }

  @Test
  void aBodyOverOneMebibyteShouldBe413() {
    assertThat(echo("{\"count\":1,\"pad\":\"" + "x".repeat(1 << 20) + "\"}"))
        .hasStatus(413)
        .bodyJson()
        .extractingPath("$.type")
        .isEqualTo("urn:sbx:problem:payload-too-large");
  }

  @Test
  void aBugShouldBeA500Problem() {
    assertThat(echo("{\"count\":-1}"))
        .hasStatus(500)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .extractingPath("$.type")
        .isEqualTo("urn:sbx:problem:internal");
  }

  private MvcTestResult echo(String body) {
    return mvc.post()
        .uri("/echo")
        .header("Authorization", "Bearer " + TOKEN)
        .contentType(MediaType.APPLICATION_JSON)
        .content(body)
        .exchange();
  }
}
