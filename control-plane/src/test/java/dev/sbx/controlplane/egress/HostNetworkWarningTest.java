package dev.sbx.controlplane.egress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.controlplane.ControlPlaneApplication;
import dev.sbx.controlplane.testing.Api;
import dev.sbx.controlplane.testing.StateDirs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/** The escape hatch SANDBOX_LOCAL_NETWORK=host says what it costs, at start-up and per create. */
@ExtendWith(OutputCaptureExtension.class)
class HostNetworkWarningTest {

  @Test
  void hostNetworkShouldWarnAtStartAndOnEveryCreateAndSetNoProxy(CapturedOutput output) {
    try (var context =
        new SpringApplicationBuilder(ControlPlaneApplication.class)
            .run(
                "--server.port=0",
                "--SANDBOX_STATE_DIR=" + StateDirs.create("host-network"),
                "--SANDBOX_LOCAL_NETWORK=host")) {
      var api = new Api(((WebServerApplicationContext) context).getWebServer().getPort());
      assertThat(output.getOut()).containsOnlyOnce("SANDBOX_LOCAL_NETWORK=host: local sandboxes");
      var id = api.post("/sandboxes", "{\"allowed_hosts\":[\"pypi.org\"]}").text("id");
      var env = api.bash(id, "env | grep -ci proxy; ls /run/sbx/egress 2>&1").text("stdout");
      assertThat(output.getOut())
          .containsOnlyOnce("sandbox " + id + " shares this machine's network");
      assertThat(env).startsWith("0\n").contains("No such file");
      api.delete("/sandboxes/" + id);
    }
  }
}
