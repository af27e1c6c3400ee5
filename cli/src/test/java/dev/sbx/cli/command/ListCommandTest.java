package dev.sbx.cli.command;

import static dev.sbx.cli.testing.Cli.sbx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.cli.testing.FakeControlPlane;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ListCommandTest {

  private static String ago(Duration duration) {
    return Instant.now().minus(duration).toString();
  }

  @Test
  void listShouldPrintATableWithAgesInTheirLargestUnit() throws Exception {
    String body =
        """
        {"sandboxes":[
          {"id":"sbx-a","namespace":"sbx-a","pod_name":"sandbox","runtime":"local",
           "phase":"Running","ready":true,"created_at":"%s","last_exec_at":"%s"},
          {"id":"sbx-longer-name","namespace":"sbx-longer-name","pod_name":"sandbox",
           "runtime":"kubernetes","phase":"Pending","ready":false,"created_at":"%s"}]}"""
            .formatted(
                ago(Duration.ofDays(4).plusHours(12)),
                ago(Duration.ofHours(2).plusMinutes(30)),
                ago(Duration.ofMinutes(3).plusSeconds(30)));
    try (var plane = FakeControlPlane.start().respond("GET", "/sandboxes", 200, body)) {
      var result = sbx(plane, "list");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.out())
          .isEqualTo(
              """
              ID                STATE     RUNTIME      AGE   LAST EXEC
              sbx-a             Running   local        4d    2h ago
              sbx-longer-name   Pending   kubernetes   3m    -
              """);
    }
  }

  @Test
  void listWhenThereAreNoSandboxesShouldPrintOnlyTheHeader() throws Exception {
    try (var plane =
        FakeControlPlane.start().respond("GET", "/sandboxes", 200, "{\"sandboxes\":[]}")) {
      var result = sbx(plane, "list");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.out()).isEqualTo("ID   STATE   RUNTIME   AGE   LAST EXEC\n");
    }
  }

  @Test
  void listWithOutputJsonShouldPrintTheServersDocumentAsIs() throws Exception {
    String body = "{\"sandboxes\":[{\"id\":\"sbx-a\",\"phase\":\"Running\"}]}";
    try (var plane = FakeControlPlane.start().respond("GET", "/sandboxes", 200, body)) {
      var result = sbx(plane, "list", "--output=json");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.out()).isEqualTo(body + "\n");
    }
  }
}
