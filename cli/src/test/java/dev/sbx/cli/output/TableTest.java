package dev.sbx.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TableTest {

  @Test
  void printShouldAlignColumnsWithoutBordersOrTrailingBlanks() {
    var bytes = new ByteArrayOutputStream();

    new Table("ID", "STATE", "LAST EXEC")
        .row("sbx-a", "Running", "2h ago")
        .row("sbx-longer", "-", "-")
        .print(new Printer(new PrintStream(bytes, true, StandardCharsets.UTF_8)));

    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            """
            ID           STATE     LAST EXEC
            sbx-a        Running   2h ago
            sbx-longer   -         -
            """);
  }
}
