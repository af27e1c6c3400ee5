package dev.sbx.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void parseShouldDecodeEveryEscapeIncludingSurrogatePairs() {
    Object value = Json.parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9 \\ud83d\\ude00\"");

    assertThat(value).isEqualTo("q\" b\\ s/ \b\f\n\r\t é 😀");
  }

  @Test
  void writeShouldEscapeQuotesBackslashesAndControlCharactersButKeepUnicode() {
    assertThat(Json.write("a\"b\\c\nd\u0001é😀")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001é😀\"");
  }

  @Test
  void writeThenParseShouldRoundTripNestedValues() {
    var document = new LinkedHashMap<String, Object>();
    document.put("text", "tab\there \"quoted\" \u001f 😀");
    document.put("count", 42L);
    document.put("negative", -7L);
    document.put("fraction", 1.5);
    document.put("yes", true);
    document.put("nothing", null);
    document.put("list", List.of(1L, List.of(), Map.of(), "x"));
    document.put("object", Map.of("inner", Map.of("deeper", List.of(false))));

    assertThat(Json.parse(Json.write(document))).isEqualTo(document);
  }

  @Test
  void parseShouldKeepIntegersExactAndMemberOrder() {
    var parsed = Json.object("{\"z\": 9007199254740993, \"a\": -12, \"m\": 3.25, \"e\": 1e3}");

    assertThat(parsed)
        .containsExactly(
            Map.entry("z", 9007199254740993L),
            Map.entry("a", -12L),
            Map.entry("m", 3.25),
            Map.entry("e", 1000.0));
  }

  @Test
  void parseShouldRejectMalformedDocuments() {
    for (String bad : List.of("{", "[1,]", "{\"a\" 1}", "\"\\x\"", "tru", "1 2", "\"a\nb\"", "")) {
      assertThatThrownBy(() -> Json.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("malformed JSON");
    }
  }

  @Test
  void objectShouldRejectADocumentThatIsNotAnObject() {
    assertThatThrownBy(() -> Json.object("[1]")).hasMessageContaining("expected a JSON object");
  }
}
