package dev.sbx.cli.command;

import static dev.sbx.cli.testing.Cli.sbx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.cli.testing.FakeControlPlane;
import org.junit.jupiter.api.Test;

class EgressCommandTest {

  private static final String EGRESS = "/sandboxes/demo/egress";

  @Test
  void egressShouldPrintOneRowPerAttemptWithItsDecisionDurationAndReason() throws Exception {
    String body =
        """
        {"sandbox_id":"sbx-demo","network":"allowlist","open_connections":0,"attempts":[
          {"time":"2026-01-02T03:04:05Z","method":"CONNECT","host":"pypi.org","port":443,
           "address":"151.101.0.223","decision":"allowed","reason":"allowed_hosts: pypi.org",
           "bytes_sent":517,"bytes_received":6012,"duration_ms":80,"open":false},
          {"time":"2026-01-02T03:04:06Z","method":"GET","host":"evil.test","port":80,
           "decision":"denied","reason":"not in allowed_hosts",
           "bytes_sent":0,"bytes_received":0,"duration_ms":1,"open":false},
          {"time":"2026-01-02T03:04:07Z","method":"CONNECT","host":"github.com","port":443,
           "address":"140.82.121.4","decision":"allowed","reason":"allowed_hosts: github.com",
           "bytes_sent":12,"bytes_received":34,"open":true}]}""";
    try (var plane = FakeControlPlane.start().respond("GET", EGRESS, 200, body)) {
      var result = sbx(plane, "egress", "-id", "demo");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      var lines = result.out().split("\n");
      assertThat(lines).hasSize(4);
      // The columns written out again: the test states the contract the code must keep (the
      // duplicates tool reports the pair with EgressCommand's header).
      assertThat(lines[0].split(" +"))
          .containsExactly(
              "TIME",
              "METHOD",
              "HOST",
              "PORT",
              "ADDRESS",
              "DECISION",
              "SENT",
              "RECEIVED",
              "DURATION",
              "REASON");
      assertThat(lines[1])
          .contains("CONNECT", "pypi.org", "443", "151.101.0.223", "allowed", "517", "6012")
          .contains(" 80ms ")
          .endsWith("allowed_hosts: pypi.org");
      assertThat(lines[2])
          .contains("GET", "evil.test", " - ", "denied")
          .endsWith("not in allowed_hosts");
      assertThat(lines[3]).contains("github.com", " open ").endsWith("allowed_hosts: github.com");
    }
  }

  @Test
  void egressWithOutputJsonShouldPrintTheServersDocumentAsIs() throws Exception {
    String body = "{\"sandbox_id\":\"sbx-demo\",\"attempts\":[]}";
    try (var plane = FakeControlPlane.start().respond("GET", EGRESS, 200, body)) {
      var result = sbx(plane, "egress", "-id", "demo", "-o", "json");

      assertThat(result.out()).isEqualTo(body + "\n");
    }
  }

  @Test
  void egressWhenSandboxIsUnknownShouldExitWith3() throws Exception {
    try (var plane =
        FakeControlPlane.start()
            .problem("GET", EGRESS, 404, "Sandbox not found", "sandbox sbx-demo does not exist")) {
      var result = sbx(plane, "egress", "-id", "demo");

      assertThat(result.exitCode()).isEqualTo(3);
      assertThat(result.err())
          .isEqualTo("error: Sandbox not found: sandbox sbx-demo does not exist\n");
    }
  }
}
