package dev.sbx.controlplane.testing;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks that a response is an RFC 9457 problem of ours. */
public final class ProblemAssert {

  private ProblemAssert() {}

  public static void assertProblem(Api.Response response, int status, String type) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.contentType()).isEqualTo("application/problem+json");
    assertThat(response.problemType()).isEqualTo("urn:sbx:problem:" + type);
    assertThat(response.json().get("status").asInt()).isEqualTo(status);
    assertThat(response.text("error")).isNotBlank().isEqualTo(response.text("detail"));
    assertThat(response.text("title")).isNotBlank();
  }
}
