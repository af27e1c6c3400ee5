package dev.sbx.controlplane.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.sbx.controlplane.runtime.LaunchType;
import dev.sbx.controlplane.runtime.SandboxExistsException;
import dev.sbx.controlplane.runtime.SandboxInfo;
import dev.sbx.controlplane.runtime.SandboxNotFoundException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/** The sandbox routes alone: JSON in and out, status codes, and problems, over a mock service. */
@WebMvcTest(SandboxController.class)
class SandboxControllerTest {

  private static final SandboxInfo DEMO =
      new SandboxInfo(
          "sbx-demo",
          "local",
          "Running",
          true,
          Instant.parse("2026-01-02T03:04:05Z"),
          null,
          null,
          LaunchType.WARM);

  @Autowired MockMvcTester mvc;
  @MockitoBean SandboxService sandboxes;

  @Test
  void createShouldAnswer201WithTheLocationAndTheSnakeCaseView() {
    given(sandboxes.create(any())).willReturn(DEMO);
    var result =
        mvc.post()
            .uri("/sandboxes")
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"id\":\"demo\",\"allowed_hosts\":[\"pypi.org\"]}")
            .exchange();
    assertThat(result).hasStatus(201).hasHeader("Location", "/sandboxes/sbx-demo");
    assertThat(result)
        .bodyJson()
        .isLenientlyEqualTo(
            """
            {"id":"sbx-demo","namespace":"sbx-demo","pod_name":"sandbox","runtime":"local",
             "phase":"Running","ready":true,"launch_type":"warm"}
            """);
    assertThat(result).bodyJson().doesNotHavePath("$.last_exec_at");
  }

  @Test
  void createWithoutABodyShouldUseTheDefaults() {
    given(sandboxes.create(CreateSandboxRequest.EMPTY)).willReturn(DEMO);
    assertThat(mvc.post().uri("/sandboxes")).hasStatus(201);
  }

  @Test
  void listGetAndDeleteShouldAnswerWithTheirShapes() {
    given(sandboxes.list()).willReturn(List.of(DEMO));
    given(sandboxes.get("demo")).willReturn(DEMO);
    assertThat(mvc.get().uri("/sandboxes"))
        .bodyJson()
        .extractingPath("$.sandboxes[*].id")
        .asArray()
        .containsExactly("sbx-demo");
    assertThat(mvc.get().uri("/sandboxes/demo"))
        .bodyJson()
        .extractingPath("$.id")
        .isEqualTo("sbx-demo");
    assertThat(mvc.delete().uri("/sandboxes/demo"))
        .hasStatusOk()
        .bodyJson()
        .isLenientlyEqualTo("{\"id\":\"sbx-demo\",\"status\":\"deleted\"}");
  }

  @Test
  void domainExceptionsShouldBecomeTheirProblems() {
    given(sandboxes.get("nope")).willThrow(new SandboxNotFoundException("sbx-nope"));
    given(sandboxes.create(any())).willThrow(new SandboxExistsException("sbx-twice"));
    willThrow(new SandboxNotFoundException("sbx-gone")).given(sandboxes).delete("gone");
    assertThat(mvc.get().uri("/sandboxes/nope"))
        .hasStatus(404)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .isLenientlyEqualTo(
            "{\"type\":\"urn:sbx:problem:sandbox-not-found\",\"sandbox_id\":\"sbx-nope\"}");
    assertThat(mvc.post().uri("/sandboxes"))
        .hasStatus(409)
        .bodyJson()
        .extractingPath("$.type")
        .isEqualTo("urn:sbx:problem:sandbox-exists");
    assertThat(mvc.delete().uri("/sandboxes/gone")).hasStatus(404);
  }

  @Test
  void anUnreadableBodyShouldBe400NamingTheFieldAndNeverReachTheService() {
    var result =
        mvc.post()
            .uri("/sandboxes")
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"allowed_hosts\":\"pypi.org\"}")
            .exchange();
    assertThat(result)
        .hasStatus(400)
        .bodyJson()
        .isLenientlyEqualTo(
            "{\"type\":\"urn:sbx:problem:invalid-request\",\"field\":\"allowed_hosts\"}");
    assertThat(mvc.post().uri("/sandboxes").contentType(MediaType.TEXT_PLAIN).content("{}"))
        .hasStatus(415);
    verifyNoInteractions(sandboxes);
  }
}
