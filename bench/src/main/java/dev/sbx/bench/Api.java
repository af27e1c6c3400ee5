package dev.sbx.bench;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The control plane's API over one keep-alive connection; one instance per client thread. */
final class Api implements Closeable {

  private final HttpConnection http;

  Api(URI base) {
    this.http = new HttpConnection(base);
  }

  /** Creates a sandbox with a random id and returns the id. */
  String create() throws IOException {
    return create("{}");
  }

  /** Creates a sandbox from this request body and returns its id. */
  String create(String body) throws IOException {
    var response = http.post("/sandboxes", body);
    expect(response, 201, "create");
    return (String) Json.parseObject(response.body()).get("id");
  }

  /** A create's answer, and when it arrived. */
  record Created(Map<String, Object> body, long nanos) {
    Object get(String field) {
      return body.get(field);
    }
  }

  /** Creates a sandbox from this request body and returns the answer. */
  Created createAnswer(String body) throws IOException {
    var response = http.post("/sandboxes", body);
    long nanos = System.nanoTime();
    expect(response, 201, "create");
    return new Created(Json.parseObject(response.body()), nanos);
  }

  /** Runs a command synchronously; fails unless it completed with exit code 0. */
  Map<String, Object> exec(String sandboxId, String... command) throws IOException {
    var response = http.post(execPath(sandboxId), body(command, false));
    expect(response, 200, "exec");
    var result = Json.parseObject(response.body());
    var exit = result.get("exit_code");
    if (!"completed".equals(result.get("status")) || !(exit instanceof Double d && d == 0)) {
      throw new IOException("exec " + String.join(" ", command) + " did not succeed: " + result);
    }
    return result;
  }

  /** Sends a sync exec and checks its exit code without parsing the answer: cheap for load. */
  void execQuick(String sandboxId, String body) throws IOException {
    var response = http.post(execPath(sandboxId), body);
    expect(response, 200, "exec");
    if (!response.body().contains("\"exit_code\":0")) {
      throw new IOException("exec did not exit 0: " + response.body());
    }
  }

  /** Starts a command asynchronously and returns its exec id. */
  String execAsync(String sandboxId, String... command) throws IOException {
    var response = http.post(execPath(sandboxId), body(command, true));
    expect(response, 202, "async exec");
    return (String) Json.parseObject(response.body()).get("exec_id");
  }

  /** How many execs the sandbox keeps (running and recently finished). */
  int retainedExecs(String sandboxId) throws IOException {
    var response = http.get("/sandboxes/" + sandboxId + "/execs");
    expect(response, 200, "list execs");
    return ((List<?>) Json.parseObject(response.body()).get("execs")).size();
  }

  /** A GET, answered as it comes. */
  HttpConnection.Response get(String path) throws IOException {
    return http.get(path);
  }

  /** A POST of JSON, answered as it comes. */
  HttpConnection.Response post(String path, String json) throws IOException {
    return http.post(path, json);
  }

  void delete(String sandboxId) throws IOException {
    expect(http.delete("/sandboxes/" + sandboxId), 200, "delete");
  }

  int reconnects() {
    return http.reconnects();
  }

  static String body(String[] command, boolean async) {
    var args = List.of(command).stream().map(Json::quote).collect(Collectors.joining(","));
    return "{\"command\":[" + args + "]" + (async ? ",\"async\":true" : "") + "}";
  }

  private static String execPath(String sandboxId) {
    return "/sandboxes/" + sandboxId + "/exec";
  }

  private static void expect(HttpConnection.Response response, int status, String what)
      throws IOException {
    if (response.status() != status) {
      throw new IOException(
          what + ": expected " + status + ", got " + response.status() + ": " + response.body());
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
