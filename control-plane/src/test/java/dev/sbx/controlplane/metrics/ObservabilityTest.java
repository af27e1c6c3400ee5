package dev.sbx.controlplane.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.controlplane.testing.LocalControlPlaneTest;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** Metrics, health probes, request ids, access log and the OpenAPI document. */
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityTest extends LocalControlPlaneTest {

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  @Test
  void metricsShouldCountEachActionUnderTheOriginalsNames() throws Exception {
    var before = metrics();
    var id = api.createSandbox();
    api.bash(id, "true");
    api.post("/sandboxes/" + id + "/exec", "{\"command\":[\"sleep\",\"5\"],\"async\":true}");
    api.get("/sandboxes/sbx-nope");
    var during = metrics();
    api.delete("/sandboxes/" + id);
    var after = metrics();

    assertThat(value(during, "sandbox_create_total") - value(before, "sandbox_create_total"))
        .isEqualTo(1);
    assertThat(
            value(during, "sandbox_create_cold_total") - value(before, "sandbox_create_cold_total"))
        .isEqualTo(1);
    assertThat(value(during, "sandbox_exec_total") - value(before, "sandbox_exec_total"))
        .isEqualTo(2);
    assertThat(value(during, "sandbox_execs_running")).isGreaterThanOrEqualTo(1);
    assertThat(value(during, "sandboxes{phase=\"Running\"}")).isGreaterThanOrEqualTo(1);
    assertThat(value(after, "sandbox_delete_total") - value(before, "sandbox_delete_total"))
        .isEqualTo(1);
    assertThat(value(during, "http_requests_rejected_total{status=\"404\"}"))
        .isGreaterThanOrEqualTo(1);
    for (var name :
        List.of(
            "sandbox_create_warm_hit_total",
            "warm_pool_desired",
            "warm_pool_ready",
            "sandbox_create_ready_seconds_count",
            "sandbox_exec_duration_seconds_count{status=\"completed\"}",
            "sandbox_streams_open",
            "sandbox_events_evicted_total",
            "sandbox_stream_subscribers_dropped_total")) {
      assertThat(after).as(name).contains(name);
    }
    assertThat(api.get("/actuator/prometheus").body()).contains("sandbox_create_total");
  }

  @Test
  void probesShouldBeUp() {
    assertThat(api.get("/actuator/health/liveness").text("status")).isEqualTo("UP");
    var readiness = api.get("/actuator/health/readiness").json();
    assertThat(readiness.get("status").asString()).isEqualTo("UP");
    assertThat(readiness.at("/components/runtime/status").asString()).isEqualTo("UP");
    assertThat(api.get("/healthz").body()).isEqualTo("ok");
  }

  @Test
  void requestIdsShouldBeEchoedOrMadeAndTheAccessLogShouldShowTheRoute(CapturedOutput output) {
    var given =
        api.send(api.request("/sandboxes/sbx-nope").header("X-Request-Id", "trace-42").GET());
    assertThat(given.status()).isEqualTo(404);
    var made = api.sendWithHeaders(api.request("/healthz").GET());
    assertThat(made.headers().firstValue("X-Request-Id"))
        .hasValueSatisfying(v -> assertThat(v).isNotBlank());
    var echoed =
        api.sendWithHeaders(api.request("/healthz").header("X-Request-Id", "trace-43").GET());
    assertThat(echoed.headers().firstValue("X-Request-Id")).hasValue("trace-43");
    var unsafe =
        api.sendWithHeaders(
            api.request("/healthz").header("X-Request-Id", "bad id\twith tab").GET());
    assertThat(unsafe.headers().firstValue("X-Request-Id"))
        .hasValueSatisfying(v -> assertThat(v).doesNotContain(" "));
    assertThat(output.getOut())
        .contains("req_id=trace-42 method=GET route=/sandboxes/{id} status=404");
  }

  @Test
  void openApiShouldDescribeEveryRouteAndTheProblemShape() {
    var document = api.get("/v3/api-docs").json();
    Set<String> documented = new TreeSet<>();
    document.get("paths").propertyNames().forEach(documented::add);
    Set<String> routes = new HashSet<>();
    mappings
        .getHandlerMethods()
        .forEach(
            (info, method) -> {
              if (method.getBeanType().getPackageName().startsWith("dev.sbx")) {
                info.getPatternValues().forEach(routes::add);
              }
            });
    routes.add("/sandboxes/{id}/stream");
    assertThat(documented)
        .containsAll(routes.stream().map(r -> r.replace("{execId}", "{execId}")).toList());
    assertThat(document.at("/components/schemas/Problem/properties").propertyNames())
        .contains("type", "title", "status", "detail", "error");
    assertThat(document.at("/paths/~1sandboxes~1{id}/get/responses/404/content").propertyNames())
        .contains("application/problem+json");
  }

  private String metrics() {
    return api.get("/metrics").body();
  }

  private static double value(String metrics, String series) {
    return Arrays.stream(metrics.split("\n"))
        .filter(line -> line.startsWith(series + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1).trim()))
        .findFirst()
        .orElse(0);
  }
}
