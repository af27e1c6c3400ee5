package dev.sbx.cli.command;

import static dev.sbx.cli.testing.Cli.sbx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.cli.output.Json;
import dev.sbx.cli.output.Terminal;
import dev.sbx.cli.testing.FakeControlPlane;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CreateCommandTest {

  private static final String CREATED =
      """
      {"id":"sbx-demo","namespace":"sbx-demo","pod_name":"sandbox","runtime":"local",
       "phase":"Running","ready":true,"created_at":"2026-11-26T21:50:03.123Z"}""";

  private static FakeControlPlane plane() throws Exception {
    return FakeControlPlane.start().respond("POST", "/sandboxes", 201, CREATED);
  }

  @Test
  void createShouldSendOnlyTheGivenFieldsAndPrintTheIdLine() throws Exception {
    try (var plane = plane()) {
      var result =
          sbx(
              plane,
              "create",
              "-id",
              "demo",
              "-image=ubuntu:22.04",
              "-env",
              "FOO=bar=baz",
              "--env",
              "EMPTY=",
              "-allow-host",
              "pypi.org",
              "-deny-host",
              "example.com",
              "-network",
              "allowlist",
              "-cache-pvc-size",
              "5Gi");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.out()).isEqualTo("id=sbx-demo namespace=sbx-demo pod=sandbox\n");
      var request = plane.awaitRequest("POST", "/sandboxes");
      assertThat(request.headers()).containsEntry("content-type", "application/json");
      assertThat(Json.parse(request.body()))
          .isEqualTo(
              Map.of(
                  "id",
                  "demo",
                  "image",
                  "ubuntu:22.04",
                  "env",
                  Map.of("FOO", "bar=baz", "EMPTY", ""),
                  "allowed_hosts",
                  List.of("pypi.org"),
                  "disallowed_hosts",
                  List.of("example.com"),
                  "network",
                  "allowlist",
                  "cache_pvc_size",
                  "5Gi"));
    }
  }

  @Test
  void createWithoutFlagsShouldSendAnEmptyObjectSoServerDefaultsApply() throws Exception {
    try (var plane = plane()) {
      var result = sbx(plane, "create", "-image", "");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(plane.awaitRequest("POST", "/sandboxes").body()).isEqualTo("{}");
    }
  }

  @Test
  void createWhenEnvPairHasNoEqualsShouldExitWith2WithoutCallingTheServer() throws Exception {
    try (var plane = plane()) {
      var result = sbx(plane, "create", "-env", "FOO");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
      assertThat(result.err()).isEqualTo("error: invalid -env \"FOO\" (expected KEY=VALUE)\n");
      assertThat(plane.requests()).isEmpty();
    }
  }

  @Test
  void createWhenEnvKeyIsEmptyShouldExitWith2() throws Exception {
    try (var plane = plane()) {
      var result = sbx(plane, "create", "-env", "=value");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
      assertThat(result.err()).isEqualTo("error: invalid -env \"=value\" (expected KEY=VALUE)\n");
    }
  }

  @Test
  void createWithOutputJsonShouldPrintTheServersDocument() throws Exception {
    try (var plane = plane()) {
      var result = sbx(plane, "create", "-o", "json");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.out()).isEqualTo(CREATED + "\n");
    }
  }

  private static String sandbox(String phase, boolean ready, String reason) {
    return "{\"id\":\"sbx-demo\",\"namespace\":\"sbx-demo\",\"pod_name\":\"sandbox\","
        + "\"runtime\":\"kubernetes\",\"phase\":\""
        + phase
        + "\",\"ready\":"
        + ready
        + (reason == null ? "" : ",\"reason\":\"" + reason + "\"")
        + "}";
  }

  private static final String PENDING = sandbox("Pending", false, "ContainerCreating");
  private static final String READY = sandbox("Running", true, null);

  /** Create answers Pending; then each poll gets the next answer. */
  private static FakeControlPlane pendingThen(String... polls) throws Exception {
    return FakeControlPlane.start()
        .respond("POST", "/sandboxes", 201, PENDING)
        .respondInTurn("GET", "/sandboxes/sbx-demo", 200, polls);
  }

  private static long polls(FakeControlPlane plane) {
    return plane.requests().stream().filter(request -> request.method().equals("GET")).count();
  }

  @Test
  void createWithWaitShouldPollUntilReadyAndShowProgressWhenStderrIsATerminal() throws Exception {
    try (var plane = pendingThen(PENDING, READY)) {
      var result = sbx(plane, new Terminal(false, true), "create", "-wait");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.out()).isEqualTo("id=sbx-demo namespace=sbx-demo pod=sandbox\n");
      assertThat(result.err())
          .contains("waiting for sbx-demo (Pending: ContainerCreating)")
          .endsWith("\r\u001b[K");
      assertThat(polls(plane)).isEqualTo(2);
    }
  }

  @Test
  void createWithWaitShouldPrintNoProgressWhenStderrIsNotATerminal() throws Exception {
    try (var plane = pendingThen(PENDING, READY)) {
      var result = sbx(plane, new Terminal(true, false), "create", "-wait");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.out()).isEqualTo("id=sbx-demo namespace=sbx-demo pod=sandbox\n");
      assertThat(result.err()).isEmpty();
      assertThat(polls(plane)).isEqualTo(2);
    }
  }

  @Test
  void createWithWaitWhenSandboxIsReadyAtOnceShouldNotPoll() throws Exception {
    try (var plane = plane()) {
      var result = sbx(plane, new Terminal(true, true), "create", "-wait");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.err()).isEmpty();
      assertThat(polls(plane)).isZero();
    }
  }

  @Test
  void createWithWaitAndOutputJsonShouldPrintTheReadySandbox() throws Exception {
    try (var plane = pendingThen(READY)) {
      var result = sbx(plane, "create", "-wait", "-o", "json");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.out()).isEqualTo(READY + "\n");
    }
  }

  @Test
  void createWithWaitWhenSandboxFailsShouldExitWith1WithItsReason() throws Exception {
    try (var plane = pendingThen(sandbox("Failed", false, "ImagePullBackOff"))) {
      var result = sbx(plane, new Terminal(true, true), "create", "-wait");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
      assertThat(result.out()).isEmpty();
      assertThat(result.err())
          .endsWith("error: sandbox sbx-demo failed to start: ImagePullBackOff\n");
    }
  }

  @Test
  void createWithWaitWhenSandboxFailsWithoutReasonShouldSayJustThat() throws Exception {
    try (var plane = pendingThen(sandbox("Failed", false, null))) {
      var result = sbx(plane, "create", "-wait");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
      assertThat(result.err()).isEqualTo("error: sandbox sbx-demo failed to start\n");
    }
  }

  @Test
  void createWithWaitWhenNotReadyInTimeShouldExitWith4() throws Exception {
    try (var plane = pendingThen(PENDING)) {
      var result = sbx(plane, "create", "-wait", "-wait-timeout", "300ms");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(4);
      assertThat(result.out()).isEmpty();
      assertThat(result.err())
          .isEqualTo(
              "error: sandbox sbx-demo is not ready after 0.3s (Pending: ContainerCreating);"
                  + " it may still start: see sbx status -id sbx-demo\n");
    }
  }

  @Test
  void createWithAWaitTimeoutThatIsNotADurationShouldExitWith2() throws Exception {
    try (var plane = plane()) {
      var result = sbx(plane, "create", "-wait", "-wait-timeout", "soon");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
      assertThat(result.err()).startsWith("error: ").contains("'soon' is not a duration");
      assertThat(plane.requests()).isEmpty();
    }
  }
}
