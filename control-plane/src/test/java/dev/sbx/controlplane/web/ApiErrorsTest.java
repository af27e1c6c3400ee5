package dev.sbx.controlplane.web;

import static dev.sbx.controlplane.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sbx.controlplane.testing.EventStream;
import dev.sbx.controlplane.testing.LocalControlPlaneTest;
import dev.sbx.controlplane.testing.RawHttp;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.WebSocketHandshakeException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Every error answers with RFC 9457 problem JSON of a stable type, and changes nothing. */
class ApiErrorsTest extends LocalControlPlaneTest {

  @Test
  void unknownSandboxShouldBe404ForGetDeleteAndExec() {
    for (var response :
        List.of(
            api.get("/sandboxes/sbx-nope"),
            api.delete("/sandboxes/sbx-nope"),
            api.post("/sandboxes/nope/exec", "{\"command\":[\"true\"]}"))) {
      assertProblem(response, 404, "sandbox-not-found");
      assertThat(response.text("sandbox_id")).isEqualTo("sbx-nope");
    }
  }

  @Test
  void streamHandshakeForAnUnknownSandboxOrExecShouldBe404() {
    assertHandshakeStatus("/sandboxes/sbx-nope/stream", 404);
    var id = api.createSandbox();
    assertHandshakeStatus("/sandboxes/" + id + "/stream?exec_id=0123456789abcdef", 404);
  }

  @Test
  void streamHandshakeFromAForeignWebPageShouldBeRefused() throws Exception {
    var id = api.createSandbox();
    try (var socket = new java.net.Socket("127.0.0.1", port)) {
      var request =
          "GET /sandboxes/"
              + id
              + "/stream HTTP/1.1\r\nHost: 127.0.0.1:"
              + port
              + "\r\nOrigin: http://evil.example\r\nConnection: Upgrade\r\nUpgrade: websocket"
              + "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="
              + "\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      var statusLine =
          new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream()))
              .readLine();
      assertThat(statusLine).startsWith("HTTP/1.1 403");
    }
  }

  @Test
  void invalidIdShouldBe400AndCreateNothing() {
    assertProblem(api.get("/sandboxes/Not_Valid"), 400, "invalid-sandbox-id");
    assertProblem(api.post("/sandboxes", "{\"id\":\"Not_Valid\"}"), 400, "invalid-sandbox-id");
    assertProblem(
        api.post("/sandboxes", "{\"id\":\"" + "a".repeat(60) + "\"}"), 400, "invalid-sandbox-id");
    assertThat(api.sandboxIds()).isEmpty();
  }

  @Test
  void missingOrEmptyCommandShouldBe400() {
    var id = api.createSandbox();
    for (var body : List.of("{}", "{\"command\":[]}", "{\"command\":[\"\"]}")) {
      var response = api.post("/sandboxes/" + id + "/exec", body);
      assertProblem(response, 400, "invalid-request");
      assertThat(response.text("detail")).contains("command");
    }
  }

  @Test
  void wrongTypesShouldBe400NamingTheField() {
    var id = api.createSandbox();
    var command = api.post("/sandboxes/" + id + "/exec", "{\"command\":\"touch /tmp/ran\"}");
    assertProblem(command, 400, "invalid-request");
    assertThat(command.text("field")).isEqualTo("command");
    assertThat(command.text("detail")).startsWith("command: expected an array");
    var async =
        api.post("/sandboxes/" + id + "/exec", "{\"command\":[\"true\"],\"async\":\"soon\"}");
    assertThat(async.text("field")).isEqualTo("async");
    var env = api.post("/sandboxes", "{\"env\":{\"A\":[1]}}");
    assertProblem(env, 400, "invalid-request");
    assertThat(env.text("field")).isEqualTo("env.A");
    assertThat(api.bash(id, "ls /tmp").text("stdout")).doesNotContain("ran");
  }

  @Test
  void scalarsOfTheWrongTypeShouldBe400NamingTheFieldNotCoerced() {
    var id = api.createSandbox();
    var cases =
        Map.of(
            "/sandboxes",
            List.of("{\"id\":1}", "{\"id\":true}", "{\"allowed_hosts\":[1]}"),
            "/sandboxes/" + id + "/exec",
            List.of(
                "{\"command\":[\"true\"],\"timeout_seconds\":\"5\"}",
                "{\"command\":[\"true\"],\"timeout_seconds\":1.5}",
                "{\"command\":[\"true\"],\"async\":1}",
                "{\"command\":[1]}"));
    cases.forEach(
        (path, bodies) -> {
          for (var body : bodies) {
            var response = api.post(path, body);
            assertProblem(response, 400, "invalid-request");
            var field = body.replaceAll("^.*\"(\\w+)\":[^:]*$", "$1");
            assertThat(response.text("field")).as(body).startsWith(field);
            assertThat(response.text("detail")).as(body).contains("expected");
          }
        });
    assertThat(api.sandboxIds()).containsExactly(id);
    assertThat(api.get("/sandboxes/" + id + "/execs").json().get("execs")).isEmpty();
  }

  @Test
  void requestsTomcatRefusesItselfShouldBeProblemJson() throws Exception {
    for (var line :
        List.of(
            "GET /sandboxes/a%2Fb HTTP/1.1",
            "GET /sandboxes/a%00b HTTP/1.1", "TRACE /sandboxes HTTP/1.1")) {
      var response =
          RawHttp.exchange(port, line + "\r\nHost: localhost\r\nConnection: close\r\n\r\n");
      assertThat(response.status()).as(line).isBetween(400, 499);
      assertThat(response.header("content-type")).as(line).startsWith("application/problem+json");
      var problem = JsonMapper.builder().build().readTree(response.body());
      assertThat(problem.get("type").asString()).as(line).startsWith("urn:sbx:problem:");
      assertThat(problem.get("status").asInt()).as(line).isEqualTo(response.status());
      assertThat(problem.get("error").asString()).as(line).isNotBlank();
    }
  }

  @Test
  void malformedJsonAndUnknownFieldsShouldBe400() {
    var id = api.createSandbox();
    assertProblem(api.post("/sandboxes", "{\"id\":"), 400, "invalid-request");
    var typo = api.post("/sandboxes/" + id + "/exec", "{\"comand\":[\"true\"]}");
    assertProblem(typo, 400, "invalid-request");
    assertThat(typo.text("detail")).contains("unknown field \"comand\"");
    assertThat(api.sandboxIds()).containsExactly(id);
  }

  @Test
  void badCreateOptionsShouldBe400NamingTheField() {
    var mode = api.post("/sandboxes", "{\"cache_mode\":\"ramdisk\"}");
    assertProblem(mode, 400, "invalid-request");
    assertThat(mode.text("detail")).startsWith("cache_mode:");
    var env = api.post("/sandboxes", "{\"env\":{\"BAD-NAME\":\"x\"}}");
    assertThat(env.text("detail")).startsWith("env:");
    var hosts = api.post("/sandboxes", "{\"allowed_hosts\":[\"a b\"]}");
    assertThat(hosts.text("detail")).startsWith("allowed_hosts:");
    var image = api.post("/sandboxes", "{\"image\":\"python:3.12\"}");
    assertProblem(image, 400, "invalid-request");
    assertThat(image.text("detail")).contains("image").contains("local runtime");
    assertThat(api.sandboxIds()).isEmpty();
  }

  @Test
  void bodyOverOneMebibyteShouldBe413() {
    var big = "{\"id\":\"" + "a".repeat(1024 * 1024) + "\"}";
    assertProblem(api.post("/sandboxes", big), 413, "payload-too-large");
    var chunked =
        api.send(
            api.request("/sandboxes")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(big.getBytes()))));
    assertProblem(chunked, 413, "payload-too-large");
    assertThat(api.sandboxIds()).isEmpty();
  }

  @Test
  void createWithAnExistingIdShouldBe409AndKeepTheSandbox() {
    api.post("/sandboxes", "{\"id\":\"twice\"}");
    api.bash("twice", "echo keep > /workspace/f");
    var again = api.post("/sandboxes", "{\"id\":\"twice\"}");
    assertProblem(again, 409, "sandbox-exists");
    assertThat(api.bash("twice", "cat /workspace/f").text("stdout")).isEqualTo("keep\n");
  }

  @Test
  void unknownRouteWrongMethodAndWrongMediaTypeShouldBeProblems() {
    assertProblem(api.get("/nothing-here"), 404, "not-found");
    assertProblem(
        api.send(api.request("/sandboxes").PUT(HttpRequest.BodyPublishers.noBody())),
        405,
        "method-not-allowed");
    var text =
        api.send(
            api.request("/sandboxes")
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertProblem(text, 415, "unsupported-media-type");
    assertThat(api.sandboxIds()).isEmpty();
  }

  @Test
  void createWithoutABodyShouldUseTheDefaults() {
    var response = api.send(api.request("/sandboxes").POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(response.status()).isEqualTo(201);
    assertThat(response.text("id")).matches("sbx-[0-9a-f]{12}");
  }

  private void assertHandshakeStatus(String path, int status) {
    assertThatThrownBy(() -> EventStream.open(api, path))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            WebSocketHandshakeException.class,
            e -> {
              assertThat(e.getResponse().statusCode()).isEqualTo(status);
              assertThat(e.getResponse().headers().firstValue("Content-Type"))
                  .hasValueSatisfying(
                      type -> assertThat(type).contains("application/problem+json"));
            });
  }
}
