package dev.sbx.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void writtenJsonShouldParseBackToTheSameValues() {
    var map = new LinkedHashMap<String, Object>();
    map.put("text", "a \"quoted\"\nline\t\u0001");
    map.put("number", 2.5);
    map.put("whole", 3.0);
    map.put("none", null);
    map.put("flag", true);
    map.put("list", List.of(1.0, "two"));
    map.put("nested", new LinkedHashMap<>(map));

    var parsed = Json.parseObject(Json.write(map));

    assertThat(parsed).isEqualTo(map);
  }

  @Test
  void wholeNumbersShouldBeWrittenWithoutAFraction() {
    assertThat(Json.write(List.of(2.0, 2.25))).isEqualTo("[2, 2.25]\n");
  }

  @Test
  void theCommittedResultsShouldBeWrittenBackByteForByte() throws IOException {
    // latest.json as the suite wrote it: the layout people diff stays the same.
    var committed = Files.readString(Path.of("results/latest.json"));
    assertThat(Json.write(Json.parse(committed))).isEqualTo(committed);
  }

  @Test
  void badJsonShouldFailNamingWhatWasWrong() {
    assertThatThrownBy(() -> Json.parse("{\"a\": }"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("bad JSON");
    assertThatThrownBy(() -> Json.parse("[1] 2"))
        .hasMessageStartingWith("bad JSON: trailing characters");
    assertThatThrownBy(() -> Json.parseObject("[1]")).hasMessageStartingWith("not a JSON object");
  }

  @Test
  void quoteShouldEscapeWhatJsonNeeds() {
    assertThat(Json.quote("a\"b\\c\n")).isEqualTo("\"a\\\"b\\\\c\\n\"");
  }

  @Test
  void nanShouldBeWrittenAsNull() {
    assertThat(Json.write(List.of(Double.NaN))).isEqualTo("[null]\n");
  }
}
