package dev.sbx.sidecar;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.CharBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void parseObjectShouldReadEveryKindOfValue() {
    var object =
        JsonReader.parseObject(
            " {\"s\":\"a\\\"b\\\\c\\/\\n\\t\\u00e9\\ud83d\\ude00\", \"n\":-12, \"d\":1.5e2,"
                + " \"t\":true, \"f\":false, \"z\":null, \"o\":{\"a\":[1,\"x\",[]]}, \"e\":{}} ");

    assertThat(object)
        .containsEntry("s", "a\"b\\c/\n\té\uD83D\uDE00")
        .containsEntry("n", -12L)
        .containsEntry("d", 150.0)
        .containsEntry("t", true)
        .containsEntry("f", false)
        .containsEntry("z", null)
        .containsEntry("o", Map.of("a", List.of(1L, "x", List.of())))
        .containsEntry("e", Map.of());
  }

  @Test
  void parseObjectShouldRefuseWhatIsNotOneObject() {
    for (String text :
        List.of("", "[]", "{\"a\":1} x", "{\"a\":tru}", "{\"a\":\"\\q\"}", "{\"a\"")) {
      assertThatIllegalArgumentException().as(text).isThrownBy(() -> JsonReader.parseObject(text));
    }
  }

  @Test
  void writerShouldEscapeWhatJsonRequiresAndReadBackTheSame() {
    String value =
        "quote\" backslash\\ nl\n cr\r tab\t bs\b ff\f nul\u0000 esc\u001b é ✓ \uD83D\uDE00";
    var frame =
        new JsonWriter(16).begin().put("type", "output").put("data", value).put("offset", 42);

    String text = frame.end().toString();

    assertThat(text).contains("\\u0000").contains("\\u001b").doesNotContain("\u0000");
    assertThat(JsonReader.parseObject(text))
        .isEqualTo(Map.of("type", "output", "data", value, "offset", 42L));
    assertThat(JsonWriter.escapeOverhead(value))
        .isEqualTo(
            text.length()
                - "{\"type\":\"output\",\"data\":\"\",\"offset\":42}".length()
                - value.length());
  }

  @Test
  void writerShouldBeReusableForTheNextObject() {
    var writer = new JsonWriter(16);
    writer.begin().put("a", "first").end();

    assertThat(writer.begin().put("b", 1).end().toString()).isEqualTo("{\"b\":1}");
  }

  @Test
  void putBase64ShouldMatchTheJdkEncoderForEveryPadding() {
    byte[] bytes = "any carnal pleasure.".getBytes(UTF_8);
    for (int length = 0; length <= 6; length++) {
      var writer = new JsonWriter(16).begin().putBase64("d", bytes, 2, length);
      String expected =
          Base64.getEncoder().encodeToString(Arrays.copyOfRange(bytes, 2, 2 + length));

      assertThat(JsonReader.parseObject(writer.end().toString())).containsEntry("d", expected);
    }
  }

  @Test
  void putShouldTakeACharBuffer() {
    var text = CharBuffer.wrap("xhelloy").position(1).limit(6);

    assertThat(new JsonWriter(16).begin().put("d", text).end().toString())
        .isEqualTo("{\"d\":\"hello\"}");
  }
}
