package dev.sbx.cli.command;

import static dev.sbx.cli.testing.Cli.sbx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.cli.output.Json;
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
}
