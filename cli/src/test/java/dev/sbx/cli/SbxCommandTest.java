package dev.sbx.cli;

import static dev.sbx.cli.testing.Cli.sbx;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SbxCommandTest {

  @Test
  void completionShouldCoverEverySubcommandThoughOnlyTheRequestedOneIsUsuallyAdded() {
    var result = sbx(Map.of(), "completion", "bash");

    assertThat(SbxCommand.names()).hasSizeGreaterThanOrEqualTo(9);
    for (String name : SbxCommand.names()) {
      assertThat(result.out()).as(name).contains("_picocli_sbx_" + name + "()");
    }
  }
}
