package dev.sbx.controlplane.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client for the control plane's API, as curl would use it. */
public final class Api {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;

  public Api(int port, String token) {
    this.base = "http://127.0.0.1:" + port;
    this.token = token;
  }

  public Api(int port) {
    this(port, null);
  }

  public String base() {
    return base;
  }

  public String token() {
    return token;
  }

  /** A response: status, body, and the body as JSON when it is JSON. */
  public record Response(int status, String contentType, String body) {
    public JsonNode json() {
      return JSON.readTree(body);
    }

    public String text(String field) {
      var node = json().get(field);
      return node == null ? null : node.asString();
    }

    public String problemType() {
      return text("type");
    }
  }

  public Response get(String path) {
    return send(request(path).GET());
  }

  public Response delete(String path) {
    return send(request(path).DELETE());
  }

  public Response post(String path, String json) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  public Response send(HttpRequest.Builder builder) {
    try {
      var response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Sends and returns the raw response, headers included. */
  public HttpResponse<String> sendWithHeaders(HttpRequest.Builder builder) {
    try {
      return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpRequest.Builder request(String path) {
    var builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  /** Creates a sandbox and returns its id. */
  public String createSandbox() {
    var response = post("/sandboxes", "{}");
    if (response.status() != 201) {
      throw new AssertionError("create failed: " + response);
    }
    return response.text("id");
  }

  /** Runs a sync exec of {@code bash -c script}. */
  public Response bash(String sandboxId, String script) {
    return post(
        "/sandboxes/" + sandboxId + "/exec",
        "{\"command\":[\"bash\",\"-c\"," + JSON.writeValueAsString(script) + "]}");
  }

  /** Deletes every sandbox the control plane lists: a test's clean-up. */
  public void deleteSandboxes() {
    for (var id : sandboxIds()) {
      delete("/sandboxes/" + id);
    }
  }

  /** The ids of every sandbox the control plane lists. */
  public List<String> sandboxIds() {
    var ids = new ArrayList<String>();
    get("/sandboxes").json().get("sandboxes").forEach(s -> ids.add(s.get("id").asString()));
    return ids;
  }

  public static String json(Object value) {
    return JSON.writeValueAsString(value);
  }
}
