package dev.sbx.controlplane.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.controlplane.runtime.OutputStreamKind;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ExecEventTest {

  private final JsonMapper json = JsonMapper.builder().build();

  @Test
  void toJsonShouldLeaveOutStreamAndDataOnStart() {
    var tree = json.readTree(ExecEvent.start("sbx-a", "e1", 1).toJson());
    assertThat(tree.propertyNames())
        .containsExactly("sandbox_id", "exec_id", "seq", "type", "time");
    assertThat(tree.get("type").asString()).isEqualTo("start");
  }

  @Test
  void toJsonShouldAlwaysCarryTheExitCodeAndStatusOnExitEvenWhenZero() {
    var tree =
        json.readTree(
            ExecEvent.exit("sbx-a", "e1", 3, 0, ExecStatus.COMPLETED, null, null).toJson());
    assertThat(tree.get("exit_code").asInt()).isZero();
    assertThat(tree.get("status").asString()).isEqualTo("completed");
    assertThat(tree.has("reason")).isFalse();
  }

  @Test
  void toJsonShouldEscapeOutputSoAnyTextRoundTrips() {
    var data = "quote\" back\\slash\nnew\ttab\u0001ctl\u2028 é😀";
    var tree =
        json.readTree(
            ExecEvent.output("sbx-a", "e1", 2, OutputStreamKind.STDOUT, data, false, -1).toJson());
    assertThat(tree.get("data").asString()).isEqualTo(data);
    assertThat(tree.get("stream").asString()).isEqualTo("stdout");
    assertThat(tree.has("encoding")).isFalse();
  }

  @Test
  void toJsonShouldMarkBase64Output() {
    var tree =
        json.readTree(
            ExecEvent.output("sbx-a", "e1", 2, OutputStreamKind.STDOUT, "/w==", true, -1).toJson());
    assertThat(tree.get("encoding").asString()).isEqualTo("base64");
  }

  @Test
  void toJsonShouldGiveAGapItsRangeAndNoSeq() {
    var tree = json.readTree(ExecEvent.gap("sbx-a", "e1", 1, 41).toJson());
    assertThat(tree.get("type").asString()).isEqualTo("gap");
    assertThat(tree.get("from_seq").asLong()).isEqualTo(1);
    assertThat(tree.get("to_seq").asLong()).isEqualTo(41);
    assertThat(tree.has("seq")).isFalse();
  }
}
