package dev.sbx.cli.command;

import static dev.sbx.cli.testing.Cli.sbx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.cli.client.Version;
import dev.sbx.cli.output.Json;
import dev.sbx.cli.testing.FakeControlPlane;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VersionCommandTest {

  private static final String SERVER = "{\"version\":\"0.1.0-SNAPSHOT\",\"runtime\":\"local\"}";

  private static FakeControlPlane plane() throws Exception {
    return FakeControlPlane.start().respond("GET", "/version", 200, SERVER);
  }

  private static String closedPortUrl() throws Exception {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }
  }

  @Test
  void versionShouldPrintTheCliAndTheControlPlaneWithItsRuntimeAndAddress() throws Exception {
    try (var plane = plane()) {
      var result = sbx(plane, "version");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.out())
          .isEqualTo(
              "sbx "
                  + Version.get()
                  + "\ncontrol plane 0.1.0-SNAPSHOT (local runtime) at "
                  + plane.url()
                  + "\n");
    }
  }

  @Test
  void versionWhenControlPlaneIsDownShouldPrintTheCliLineThenTheErrorAndExitWith5()
      throws Exception {
    String url = closedPortUrl();

    var result = sbx(Map.of("SBX_ADDR", url), "version");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(5);
    assertThat(result.out()).isEqualTo("sbx " + Version.get() + "\n");
    assertThat(result.err())
        .startsWith("error: cannot reach the control plane at " + url + ": ")
        .hasLineCount(1);
  }

  @Test
  void versionWithOutputJsonShouldNestTheServersDocument() throws Exception {
    try (var plane = plane()) {
      var result = sbx(plane, "version", "-o", "json");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.out())
          .isEqualTo("{\"cli\":\"" + Version.get() + "\",\"server\":" + SERVER + "}\n");
    }
  }

  @Test
  void versionWithOutputJsonWhenControlPlaneIsDownShouldPrintTheCliPartAndExitWith5()
      throws Exception {
    var result = sbx(Map.of("SBX_ADDR", closedPortUrl()), "-o", "json", "version");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(5);
    assertThat(Json.object(result.out())).isEqualTo(Map.of("cli", Version.get()));
    assertThat(result.err()).startsWith("error: cannot reach the control plane").hasLineCount(1);
  }

  @Test
  void versionWhenControlPlaneAnswersWithAProblemShouldPrintItsTitleAndDetail() throws Exception {
    try (var plane =
        FakeControlPlane.start()
            .problem("GET", "/version", 401, "Unauthorized", "missing or wrong bearer token")) {
      var result = sbx(plane, "version");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(6);
      assertThat(result.err()).isEqualTo("error: Unauthorized: missing or wrong bearer token\n");
    }
  }

  @Test
  void shortVersionFlagShouldStillPrintOnlyTheCliWithoutCallingTheServer() throws Exception {
    try (var plane = plane()) {
      var result = sbx(plane, "-V");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.out()).isEqualTo("sbx " + Version.get() + "\n");
      assertThat(plane.requests()).isEmpty();
    }
  }
}
