package dev.sbx.controlplane.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class JsonTextTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void quoteShouldEscapeEachKindAndCopyTheRunsBetween() {
    var value = "a\"b\\c\nd\re\tf\u0001g\u2028h\u2029";
    assertThat(new JsonText(4).quote(value).toString())
        .isEqualTo("\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u2028h\\u2029\"");
    assertThat(new JsonText(4).quote("").toString()).isEqualTo("\"\"");
    assertThat(new JsonText(4).quote("\n\n").toString()).isEqualTo("\"\\n\\n\"");
  }

  @Test
  void anyTextQuotedAfterOtherTextShouldParseBackToItself() {
    var random = new Random(7);
    var alphabet = "ab\"\\\n\r\t\u0000\u001f é\u2028\u4e2d";
    for (int round = 0; round < 500; round++) {
      var text = new StringBuilder();
      for (int i = random.nextInt(200); i > 0; i--) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      var json = new JsonText(1).append("{\"k\":\"v\",\"x\":").quote(text.toString()).append('}');
      assertThat(JSON.readTree(json.toString()).get("x").asString()).isEqualTo(text.toString());
    }
  }
}
