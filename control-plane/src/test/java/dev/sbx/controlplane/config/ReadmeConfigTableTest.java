package dev.sbx.controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's configuration table lists exactly the keys the code reads, with their defaults. */
class ReadmeConfigTableTest {

  @Test
  void readmeShouldListEveryKeyWithItsYamlKeyAndDefault() throws IOException {
    var rows = readmeRows();
    for (var key : ConfigKey.values()) {
      var variable = key == ConfigKey.ENV ? "SANDBOX_ENV_<NAME>" : key.envVar();
      assertThat(rows).as("README row for " + variable).containsKey(variable);
      var cells = rows.get(variable);
      assertThat(cells[2].trim()).isEqualTo("`" + key.yamlKey() + "`");
      if (key.defaultValue() != null) {
        assertThat(cells[3].trim()).as(variable).isEqualTo("`" + key.defaultValue() + "`");
      }
    }
    assertThat(rows).hasSize(ConfigKey.values().length);
  }

  private static Map<String, String[]> readmeRows() throws IOException {
    var rows = new LinkedHashMap<String, String[]>();
    for (var line : Files.readAllLines(Path.of("..", "README.md"))) {
      if (line.startsWith("| `SANDBOX_")) {
        var cells = line.split("\\|");
        rows.put(cells[1].trim().replace("`", ""), cells);
      }
    }
    return rows;
  }
}
