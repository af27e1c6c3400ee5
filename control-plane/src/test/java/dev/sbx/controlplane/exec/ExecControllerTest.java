package dev.sbx.controlplane.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** The exec routes alone, over a mock service: sync 200, async 202, and the exec problems. */
@WebMvcTest(ExecController.class)
class ExecControllerTest {

  private static final Instant STARTED = Instant.parse("2026-01-02T03:04:05Z");

  @Autowired MockMvcTester mvc;
  @MockitoBean ExecService execs;

  @Test
  void aSyncExecShouldBe200WithItsOutputAndExitCode() throws Exception {
    var done =
        view(ExecStatus.COMPLETED, 3)
            .withOutput(new CapturedOutput("out\n", null, "err\n", null, null));
    given(execs.exec(eq("demo"), any())).willReturn(new ExecService.Outcome(done, false));
    assertThat(post("/sandboxes/demo/exec", "{\"command\":[\"sh\",\"-c\",\"exit 3\"]}"))
        .hasStatus(200)
        .bodyJson()
        .isLenientlyEqualTo(
            """
            {"exec_id":"0123456789abcdef","sandbox_id":"sbx-demo","status":"completed",
             "exit_code":3,"stdout":"out\\n","stderr":"err\\n"}
            """);
  }

  @Test
  void anAsyncExecShouldBe202AndRunning() throws Exception {
    given(execs.exec(eq("demo"), any()))
        .willReturn(new ExecService.Outcome(view(ExecStatus.RUNNING, null), true));
    assertThat(post("/sandboxes/demo/exec", "{\"command\":[\"true\"],\"async\":true}"))
        .hasStatus(202)
        .bodyJson()
        .extractingPath("$.status")
        .isEqualTo("running");
  }

  @Test
  void listGetAndCancelShouldAnswerWithTheExec() throws Exception {
    given(execs.list("demo")).willReturn(List.of(view(ExecStatus.RUNNING, null)));
    given(execs.get("demo", "0123456789abcdef")).willReturn(view(ExecStatus.RUNNING, null));
    given(execs.cancel("demo", "0123456789abcdef")).willReturn(view(ExecStatus.CANCELED, 143));
    assertThat(mvc.get().uri("/sandboxes/demo/execs"))
        .bodyJson()
        .extractingPath("$.execs[0].exec_id")
        .isEqualTo("0123456789abcdef");
    assertThat(mvc.get().uri("/sandboxes/demo/execs/0123456789abcdef")).hasStatusOk();
    assertThat(mvc.post().uri("/sandboxes/demo/execs/0123456789abcdef/cancel"))
        .bodyJson()
        .extractingPath("$.status")
        .isEqualTo("canceled");
  }

  @Test
  void execProblemsShouldCarryTheirStatusAndType() throws Exception {
    given(execs.get("demo", "ffffffffffffffff"))
        .willThrow(new ExecNotFoundException("sbx-demo", "ffffffffffffffff"));
    given(execs.cancel("demo", "0123456789abcdef"))
        .willThrow(new ExecFinishedException("0123456789abcdef", ExecStatus.COMPLETED));
    given(execs.exec(eq("busy"), any())).willThrow(new TooManyExecsException("sbx-busy", 32));
    var cases =
        Map.of(
            mvc.get().uri("/sandboxes/demo/execs/ffffffffffffffff").exchange(),
            "404 exec-not-found",
            mvc.post().uri("/sandboxes/demo/execs/0123456789abcdef/cancel").exchange(),
            "409 exec-finished",
            post("/sandboxes/busy/exec", "{\"command\":[\"true\"]}"),
            "429 too-many-execs");
    cases.forEach(
        (result, expected) -> {
          var parts = expected.split(" ");
          assertThat(result)
              .hasStatus(Integer.parseInt(parts[0]))
              .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
              .bodyJson()
              .extractingPath("$.type")
              .isEqualTo("urn:sbx:problem:" + parts[1]);
        });
  }

  private MvcTestResult post(String uri, String body) {
    return mvc.post().uri(uri).contentType(MediaType.APPLICATION_JSON).content(body).exchange();
  }

  private static ExecView view(ExecStatus status, Integer exitCode) {
    return new ExecView(
        "0123456789abcdef",
        "sbx-demo",
        List.of("true"),
        status,
        exitCode,
        null,
        STARTED,
        null,
        null,
        null,
        null,
        null);
  }
}
