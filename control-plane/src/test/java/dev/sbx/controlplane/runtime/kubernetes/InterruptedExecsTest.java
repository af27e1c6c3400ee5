package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterruptedExecsTest {

  @Test
  void parseShouldReadIdStartAndArgvAndSkipAnythingElse() {
    var output =
        "00000000000000aa\t1764199999\tbash\u001f-c\u001fsleep 10; echo a b\u001f\n"
            + "garbage line\n"
            + "00000000000000ab\tnot-a-time\ttrue\u001f\n";
    var execs = InterruptedExecs.parse("sbx-a", output);
    assertThat(execs).hasSize(2);
    assertThat(execs.get(0).execId()).isEqualTo("00000000000000aa");
    assertThat(execs.get(0).command()).containsExactly("bash", "-c", "sleep 10; echo a b");
    assertThat(execs.get(0).startedAt()).isEqualTo(Instant.ofEpochSecond(1764199999));
    assertThat(execs.get(1).command()).isEqualTo(List.of("true"));
    assertThat(execs.get(1).sandboxId()).isEqualTo("sbx-a");
  }
}
