package dev.sbx.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerTest {

  @Test
  void parseShouldReadAnAckAndSkipMembersItDoesNotKnow() {
    var answer =
        Answer.parse(
            " {\"type\":\"ack\",\"exec_id\":\"e\\u00e9\",\"extra\":{\"a\":[1,{\"b\":null}]},"
                + "\"seq\":7,\"stream\":\"stdout\",\"offset\":65536,\"more\":[true]} ");

    assertThat(answer).isEqualTo(new Answer("ack", "eé", "stdout", 65536L, 7L, null));
  }

  @Test
  void parseShouldReadAnErrorWithItsDetail() {
    var answer =
        Answer.parse("{\"type\":\"error\",\"exec_id\":\"e\",\"detail\":\"no \\\"such\\\"\"}");

    assertThat(answer).isEqualTo(new Answer("error", "e", null, null, null, "no \"such\""));
  }

  @Test
  void parseShouldRefuseWhatIsNotOneAnswer() {
    for (String text :
        List.of(
            "",
            "[]",
            "{\"type\":\"ack\"} x",
            "{\"type\":\"ack\"}{}",
            "{\"type\":tru}",
            "{\"type\":\"\\q\"}",
            "{\"type\"",
            "{\"seq\":1.5}",
            "{\"seq\":\"1\"}",
            "{\"seq\":99999999999999999999}",
            "{\"exec_id\":1}")) {
      assertThatIllegalArgumentException().as(text).isThrownBy(() -> Answer.parse(text));
    }
  }
}
