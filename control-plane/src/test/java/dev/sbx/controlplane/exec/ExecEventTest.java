package dev.sbx.controlplane.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ExecEventTest {

  private static final Instant TIME = Instant.parse("2026-02-05T06:01:02.123456789Z");
  private final JsonMapper json = JsonMapper.builder().build();

  @Test
  void toJsonShouldLeaveOutStreamAndDataOnStart() {
    var event = new ExecEvent("sbx-a", "e1", 1, "start", null, null, null, null, TIME);
    assertThat(event.toJson())
        .isEqualTo(
            "{\"sandbox_id\":\"sbx-a\",\"exec_id\":\"e1\",\"seq\":1,\"type\":\"start\","
                + "\"time\":\"2026-02-05T06:01:02.123456789Z\"}");
  }

  @Test
  void toJsonShouldAlwaysCarryTheExitCodeOnExitEvenWhenZero() {
    var event = new ExecEvent("sbx-a", "e1", 3, "exit", null, null, 0, null, TIME);
    assertThat(json.readTree(event.toJson()).get("exit_code").asInt()).isZero();
  }

  @Test
  void toJsonShouldEscapeOutputSoAnyTextRoundTrips() {
    var data = "quote\" back\\slash\nnew\ttab\u0001ctl\u2028 é😀";
    var event = new ExecEvent("sbx-a", "e1", 2, "output", "stdout", data, null, null, TIME);
    var tree = json.readTree(event.toJson());
    assertThat(tree.get("data").asString()).isEqualTo(data);
    assertThat(tree.get("stream").asString()).isEqualTo("stdout");
  }
}
