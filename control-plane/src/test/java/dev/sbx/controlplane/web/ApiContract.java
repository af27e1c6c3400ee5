package dev.sbx.controlplane.web;

import static dev.sbx.controlplane.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sbx.controlplane.testing.Api;
import dev.sbx.controlplane.testing.EventStream;
import dev.sbx.controlplane.testing.RawHttp;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP contract: every route, and the problems they answer with, whatever runtime runs the
 * sandboxes. Each subclass puts a runtime behind it: the in-memory fake (runs anywhere) and the
 * local runtime (real bwrap). Commands are the few both understand (see FakeSandboxRuntime).
 * Subclasses set SANDBOX_EXEC_MAX_RUNNING to {@link #MAX_RUNNING}.
 */
abstract class ApiContract {

  static final int MAX_RUNNING = 4;

  @LocalServerPort int port;
  Api api;

  // The same set-up as LocalControlPlaneTest's, on purpose: a base class of both would tie the
  // contract to the local runtime (the duplicates tool reports the pair).
  @BeforeEach
  void connect() {
    api = new Api(port);
  }

  @AfterEach
  void deleteSandboxes() {
    api.deleteSandboxes();
  }

  @Test
  void createGetListAndDeleteShouldRoundTrip() {
    var created = api.post("/sandboxes", "{\"id\":\"contract\",\"env\":{\"FOO\":\"bar\"}}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.text("id")).isEqualTo("sbx-contract");
    assertThat(created.text("launch_type")).isEqualTo("cold");
    assertThat(api.get("/sandboxes/contract").text("id")).isEqualTo("sbx-contract");
    assertThat(api.sandboxIds()).containsExactly("sbx-contract");
    assertThat(api.delete("/sandboxes/contract").status()).isBetween(200, 204);
    assertProblem(api.get("/sandboxes/sbx-contract"), 404, "sandbox-not-found");
    assertThat(api.sandboxIds()).isEmpty();
  }

  @Test
  void syncExecShouldAnswerWithOutputAndTheRealExitCode() {
    var id = api.createSandbox();
    var response = exec(id, "{\"command\":[\"sh\",\"-c\",\"echo out; echo err >&2; exit 3\"]}");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.text("status")).isEqualTo("completed");
    assertThat(response.json().get("exit_code").asInt()).isEqualTo(3);
    assertThat(response.text("stdout")).isEqualTo("out\n");
    assertThat(response.text("stderr")).isEqualTo("err\n");
    var stdin = exec(id, "{\"command\":[\"cat\"],\"stdin\":\"fed\",\"cwd\":\"/tmp\"}");
    assertThat(stdin.text("stdout")).isEqualTo("fed");
  }

  @Test
  void asyncExecShouldBeListedStreamedAndFoundById() throws Exception {
    var id = api.createSandbox();
    var started = exec(id, "{\"command\":[\"echo\",\"hello\"],\"async\":true}");
    assertThat(started.status()).isEqualTo(202);
    var execId = started.text("exec_id");
    var stream = EventStream.open(api, "/sandboxes/" + id + "/stream?exec_id=" + execId);
    assertThat(stream.awaitClose(Duration.ofSeconds(20))).isEqualTo(1000);
    assertThat(stream.events())
        .extracting(EventStream.Received::type)
        .containsExactly("start", "output", "exit");
    assertThat(new String(stream.output(execId, "stdout"))).isEqualTo("hello\n");
    var exec = api.get("/sandboxes/" + id + "/execs/" + execId);
    assertThat(exec.text("status")).isEqualTo("completed");
    assertThat(exec.json().get("exit_code").asInt()).isZero();
    assertThat(api.get("/sandboxes/" + id + "/execs").json().get("execs"))
        .extracting(e -> e.get("exec_id").asString())
        .containsExactly(execId);
  }

  @Test
  void cancelShouldStopAnExecAndThenBe409() {
    var id = api.createSandbox();
    var execId = exec(id, "{\"command\":[\"sleep\",\"60\"],\"async\":true}").text("exec_id");
    var canceled = api.post("/sandboxes/" + id + "/execs/" + execId + "/cancel", "");
    assertThat(canceled.status()).isEqualTo(200);
    assertThat(canceled.text("status")).isEqualTo("canceled");
    var again = api.post("/sandboxes/" + id + "/execs/" + execId + "/cancel", "");
    assertProblem(again, 409, "exec-finished");
  }

  @Test
  void unknownExecShouldBe404() {
    var id = api.createSandbox();
    assertProblem(api.get("/sandboxes/" + id + "/execs/0123456789abcdef"), 404, "exec-not-found");
    assertProblem(
        api.post("/sandboxes/" + id + "/execs/0123456789abcdef/cancel", ""), 404, "exec-not-found");
  }

  @Test
  void execsBeyondTheLimitShouldBe429AndStartNothing() {
    var id = api.createSandbox();
    var running = new ArrayList<String>();
    for (int i = 0; i < MAX_RUNNING; i++) {
      running.add(exec(id, "{\"command\":[\"sleep\",\"60\"],\"async\":true}").text("exec_id"));
    }
    assertProblem(exec(id, "{\"command\":[\"true\"]}"), 429, "too-many-execs");
    assertThat(api.get("/sandboxes/" + id + "/execs").json().get("execs")).hasSize(MAX_RUNNING);
    for (var execId : running) {
      api.post("/sandboxes/" + id + "/execs/" + execId + "/cancel", "");
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> exec(id, "{\"command\":[\"true\"]}").status() == 200);
  }

  @Test
  void unknownSandboxShouldBe404OnEveryRoute() {
    for (var response :
        List.of(
            api.get("/sandboxes/sbx-nope"),
            api.delete("/sandboxes/sbx-nope"),
            api.get("/sandboxes/nope/execs"),
            api.get("/sandboxes/nope/execs/0123456789abcdef"),
            api.post("/sandboxes/nope/exec", "{\"command\":[\"true\"]}"))) {
      assertProblem(response, 404, "sandbox-not-found");
      assertThat(response.text("sandbox_id")).isEqualTo("sbx-nope");
    }
  }

  @Test
  void invalidIdShouldBe400AndCreateNothing() {
    assertProblem(api.get("/sandboxes/Not_Valid"), 400, "invalid-sandbox-id");
    assertProblem(api.post("/sandboxes", "{\"id\":\"Not_Valid\"}"), 400, "invalid-sandbox-id");
    assertThat(api.sandboxIds()).isEmpty();
  }

  @Test
  void badExecRequestsShouldBe400NamingTheFieldAndRunNothing() {
    var id = api.createSandbox();
    for (var body :
        List.of(
            "{}",
            "{\"command\":[]}",
            "{\"command\":\"true\"}",
            "{\"command\":[\"true\"],\"cwd\":\"/no/such/dir\"}",
            "{\"command\":[\"true\"],\"timeout_seconds\":-1}",
            "{\"command\":[\"true\"],\"env\":{\"BAD-NAME\":\"x\"}}",
            "{\"comand\":[\"true\"]}",
            "{\"command\":[\"true\"]")) {
      assertProblem(exec(id, body), 400, "invalid-request");
    }
    assertThat(exec(id, "{\"command\":[\"true\"],\"cwd\":\"/no/such/dir\"}").text("field"))
        .isEqualTo("cwd");
    assertThat(api.get("/sandboxes/" + id + "/execs").json().get("execs")).isEmpty();
  }

  @Test
  void badCreateRequestsShouldBe400NamingTheFieldAndCreateNothing() {
    var fields =
        List.of(
            List.of("{\"cache_mode\":\"ramdisk\"}", "cache_mode"),
            List.of("{\"env\":{\"BAD-NAME\":\"x\"}}", "env"),
            List.of("{\"allowed_hosts\":[\"a b\"]}", "allowed_hosts"),
            List.of("{\"image\":\"python:3.12\"}", "image"),
            List.of("{\"id\":1}", "id"));
    for (var field : fields) {
      var response = api.post("/sandboxes", field.get(0));
      assertProblem(response, 400, "invalid-request");
      assertThat(response.text("detail")).as(field.get(0)).contains(field.get(1));
    }
    assertThat(api.sandboxIds()).isEmpty();
  }

  @Test
  void createShouldRunUnderTheConfiguredLimitsOrLowerOnesItAsksFor() {
    var defaults = api.post("/sandboxes", "{\"id\":\"defaults\"}").json().get("resources");
    assertThat(defaults.get("cpu_limit").asString()).isEqualTo("1");
    assertThat(defaults.get("mem_limit").asString()).isEqualTo("1Gi");
    assertThat(defaults.get("pids_limit").asLong()).isEqualTo(512);
    assertThat(defaults.get("disk_limit").asString()).isEqualTo("2Gi");
    var created =
        api.post(
            "/sandboxes",
            "{\"id\":\"lower\",\"resources\":{\"cpu_limit\":0.5,\"mem_limit\":\"256Mi\","
                + "\"pids_limit\":100,\"disk_limit\":\"1G\"}}");
    assertThat(created.status()).isEqualTo(201);
    var resources = api.get("/sandboxes/lower").json().get("resources");
    assertThat(resources.get("cpu_limit").asString()).isEqualTo("500m");
    assertThat(resources.get("mem_limit").asString()).isEqualTo("256Mi");
    assertThat(resources.get("pids_limit").asLong()).isEqualTo(100);
    assertThat(resources.get("disk_limit").asString()).isEqualTo("1000000000");
    var partly =
        api.post("/sandboxes", "{\"id\":\"partly\",\"resources\":{\"cpu_limit\":\"250m\"}}");
    assertThat(partly.json().get("resources").get("cpu_limit").asString()).isEqualTo("250m");
    assertThat(partly.json().get("resources").get("mem_limit").asString()).isEqualTo("1Gi");
  }

  @Test
  void createAskingAboveTheConfiguredLimitsShouldBe400NamingTheLimit() {
    var cases =
        List.of(
            List.of("{\"cpu_limit\":\"2\"}", "resources.cpu_limit", "SANDBOX_CPU_LIMIT"),
            List.of("{\"mem_limit\":\"2Gi\"}", "resources.mem_limit", "SANDBOX_MEM_LIMIT"),
            List.of("{\"pids_limit\":513}", "resources.pids_limit", "SANDBOX_PIDS_LIMIT"),
            List.of("{\"disk_limit\":3000000000}", "resources.disk_limit", "SANDBOX_DISK_LIMIT"),
            List.of("{\"mem_limit\":\"lots\"}", "resources.mem_limit", "not a size"),
            List.of("{\"cpu_limit\":\"0\"}", "resources.cpu_limit", "at least 1m"),
            List.of("{\"cpu_limit\":true}", "resources.cpu_limit", "quantity"),
            List.of("{\"pids_limit\":0}", "resources.pids_limit", "at least 1"),
            List.of("{\"pids_limit\":\"5\"}", "resources.pids_limit", ""),
            List.of("{\"gpu_limit\":1}", "gpu_limit", ""));
    for (var c : cases) {
      var response = api.post("/sandboxes", "{\"resources\":" + c.get(0) + "}");
      assertProblem(response, 400, "invalid-request");
      assertThat(response.text("detail")).as(c.get(0)).contains(c.get(1)).contains(c.get(2));
    }
    assertThat(api.sandboxIds()).isEmpty();
  }

  @Test
  void createWithAnExistingIdShouldBe409() {
    api.post("/sandboxes", "{\"id\":\"twice\"}");
    assertProblem(api.post("/sandboxes", "{\"id\":\"twice\"}"), 409, "sandbox-exists");
    assertThat(api.sandboxIds()).containsExactly("sbx-twice");
  }

  @Test
  void transportLevelMistakesShouldBeProblems() {
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
    var big = "{\"id\":\"" + "a".repeat(1024 * 1024) + "\"}";
    assertProblem(api.post("/sandboxes", big), 413, "payload-too-large");
    assertThat(api.sandboxIds()).isEmpty();
  }

  @Test
  void healthAndVersionShouldAnswer() {
    assertThat(api.get("/healthz").body()).isEqualTo("ok");
    var version = api.get("/version");
    assertThat(version.status()).isEqualTo(200);
    assertThat(version.text("runtime")).isEqualTo(runtimeName());
  }

  @Test
  void wrongTypesInObjectsAndMapsShouldBe400NamingTheField() {
    var id = api.createSandbox();
    var async = exec(id, "{\"command\":[\"true\"],\"async\":\"soon\"}");
    assertThat(async.text("field")).isEqualTo("async");
    var env = api.post("/sandboxes", "{\"env\":{\"A\":[1]}}");
    assertProblem(env, 400, "invalid-request");
    assertThat(env.text("field")).isEqualTo("env.A");
    var typo = exec(id, "{\"comand\":[\"true\"]}");
    assertThat(typo.text("detail")).contains("unknown field \"comand\"");
  }

  @Test
  void aChunkedBodyOverOneMebibyteShouldBe413() {
    var big = "{\"id\":\"" + "a".repeat(1024 * 1024) + "\"}";
    var chunked =
        api.send(
            api.request("/sandboxes")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))));
    assertProblem(chunked, 413, "payload-too-large");
    assertThat(api.sandboxIds()).isEmpty();
  }

  @Test
  void streamHandshakeForAnUnknownSandboxOrExecShouldBe404() {
    assertHandshakeStatus("/sandboxes/sbx-nope/stream", 404);
    var id = api.createSandbox();
    assertHandshakeStatus("/sandboxes/" + id + "/stream?exec_id=0123456789abcdef", 404);
  }

  @Test
  void terminalHandshakeFromAForeignWebPageShouldBeRefusedBeforeAnythingElse() throws Exception {
    // A page the user visits must learn nothing, not even whether the sandbox exists.
    var existing = api.createSandbox();
    for (var id : List.of(existing, "sbx-nope")) {
      assertThat(foreignHandshake("/sandboxes/" + id + "/tty")).startsWith("HTTP/1.1 403");
    }
    assertThat(api.get("/sandboxes/" + existing + "/execs").json().path("execs")).isEmpty();
  }

  @Test
  void terminalHandshakeForAnUnknownSandboxOrExecShouldBe404() {
    assertHandshakeStatus("/sandboxes/sbx-nope/tty", 404);
    var id = api.createSandbox();
    assertHandshakeStatus("/sandboxes/" + id + "/tty?exec_id=0123456789abcdef", 404);
  }

  @Test
  void streamHandshakeFromAForeignWebPageShouldBeRefused() throws Exception {
    var id = api.createSandbox();
    assertThat(foreignHandshake("/sandboxes/" + id + "/stream")).startsWith("HTTP/1.1 403");
  }

  /** The status line a WebSocket handshake from a page of another origin gets. */
  private String foreignHandshake(String path) throws Exception {
    try (var socket = new Socket("127.0.0.1", port)) {
      var request =
          "GET "
              + path
              + " HTTP/1.1\r\nHost: 127.0.0.1:"
              + port
              + "\r\nOrigin: http://evil.example\r\nConnection: Upgrade\r\nUpgrade: websocket"
              + "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="
              + "\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
    }
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
  void createWithoutABodyShouldUseTheDefaults() {
    var response = api.send(api.request("/sandboxes").POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(response.status()).isEqualTo(201);
    assertThat(response.text("id")).matches("sbx-[0-9a-f]{12}");
  }

  /** The runtime behind the API, as /version names it. */
  abstract String runtimeName();

  Api.Response exec(String sandboxId, String body) {
    return api.post("/sandboxes/" + sandboxId + "/exec", body);
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
