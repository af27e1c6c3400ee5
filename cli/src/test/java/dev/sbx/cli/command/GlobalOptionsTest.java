package dev.sbx.cli.command;

import static dev.sbx.cli.testing.Cli.sbx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.cli.testing.FakeControlPlane;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GlobalOptionsTest {

  private static final String EMPTY_LIST = "{\"sandboxes\":[]}";

  private static String closedPortUrl() throws Exception {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }
  }

  @Test
  void sbxAddrFromTheEnvironmentShouldBeUsedWithoutItsTrailingSlash() throws Exception {
    try (var plane = FakeControlPlane.start().respond("GET", "/sandboxes", 200, EMPTY_LIST)) {
      var result = sbx(Map.of("SBX_ADDR", plane.url() + "/"), "list");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(plane.requests()).singleElement().extracting("path").isEqualTo("/sandboxes");
    }
  }

  @Test
  void addrFlagShouldWinOverSbxAddr() throws Exception {
    try (var plane = FakeControlPlane.start().respond("GET", "/sandboxes", 200, EMPTY_LIST)) {
      var result = sbx(Map.of("SBX_ADDR", closedPortUrl()), "list", "-addr", plane.url());

      assertThat(result.exitCode()).as(result.toString()).isZero();
    }
  }

  @Test
  void globalFlagsShouldAlsoWorkBeforeTheCommand() throws Exception {
    try (var plane = FakeControlPlane.start().respond("GET", "/sandboxes", 200, EMPTY_LIST)) {
      var result = sbx(Map.of(), "-addr=" + plane.url(), "-o", "json", "list");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.out()).isEqualTo(EMPTY_LIST + "\n");
    }
  }

  @Test
  void tokenShouldBeSentAsBearerWithTheUserAgent() throws Exception {
    try (var plane = FakeControlPlane.start().respond("GET", "/sandboxes", 200, EMPTY_LIST)) {
      sbx(Map.of("SBX_ADDR", plane.url(), "SBX_TOKEN", "from-env"), "list");
      sbx(Map.of("SBX_ADDR", plane.url(), "SBX_TOKEN", "from-env"), "list", "-token", "flag");

      assertThat(plane.requests())
          .extracting(request -> request.headers().get("authorization"))
          .containsExactly("Bearer from-env", "Bearer flag");
      assertThat(plane.requests().get(0).headers().get("user-agent")).startsWith("sbx/");
    }
  }

  @Test
  void unauthorizedShouldExitWith6() throws Exception {
    try (var plane =
        FakeControlPlane.start()
            .problem("GET", "/sandboxes", 401, "Unauthorized", "missing or wrong bearer token")) {
      var result = sbx(plane, "list");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(6);
      assertThat(result.err()).isEqualTo("error: Unauthorized: missing or wrong bearer token\n");
    }
  }

  @Test
  void unreachableControlPlaneShouldExitWith5() throws Exception {
    String url = closedPortUrl();

    var result = sbx(Map.of("SBX_ADDR", url), "list");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(5);
    assertThat(result.err())
        .startsWith("error: cannot reach the control plane at " + url + ": ")
        .hasLineCount(1);
  }

  @Test
  void errorWithoutProblemBodyShouldShowTheStatusLineAndTrimmedBody() throws Exception {
    try (var plane =
        FakeControlPlane.start().respond("GET", "/sandboxes", 500, "text/plain", "  boom\n")) {
      var result = sbx(plane, "list");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
      assertThat(result.err()).isEqualTo("error: 500 Internal Server Error: boom\n");
    }
  }

  @Test
  void unknownFlagShouldExitWith2WithOneLine() throws Exception {
    try (var plane = FakeControlPlane.start()) {
      var result = sbx(plane, "list", "-bogus");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
      assertThat(result.err()).isEqualTo("error: Unknown option: '-bogus'\n");
      assertThat(plane.requests()).isEmpty();
    }
  }

  @Test
  void malformedResponseShouldExitWith1WithOneLineUnlessAStackTraceIsAskedFor() throws Exception {
    try (var plane = FakeControlPlane.start().respond("GET", "/sandboxes", 200, "<html>")) {
      var plain = sbx(plane, "list");
      var traced = sbx(plane, "list", "--stacktrace");

      assertThat(plain.exitCode()).as(plain.toString()).isEqualTo(1);
      assertThat(plain.err()).startsWith("error: malformed JSON").hasLineCount(1);
      assertThat(traced.err()).contains("at dev.sbx.cli.");
    }
  }

  @Test
  void noCommandShouldPrintTheUsageOnStderrAndExitWith2() {
    var result = sbx(Map.of());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).startsWith("Usage: sbx");
  }

  @Test
  void helpShouldListEveryCommandAndDocumentTheExitCodes() {
    var result = sbx(Map.of(), "--help");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out())
        .contains(
            "create",
            "list",
            "status",
            "exec",
            "execs",
            "cancel",
            "delete",
            "version",
            "completion")
        .contains("Exit codes:", "3     not found (404)", "255");
  }
}
