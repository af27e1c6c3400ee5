package dev.sbx.cli.command;

import static dev.sbx.cli.testing.Cli.sbx;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CompletionCommandTest {

  @Test
  void completionBashShouldPrintABashScriptThatCompletesSbx() {
    var result = sbx(Map.of(), "completion", "bash");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out())
        .startsWith("#!/usr/bin/env bash")
        .contains("complete -F _complete_sbx")
        .contains("-wait-timeout", "-raw");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void completionZshShouldLoadBashcompinitBeforeTheBashScript() {
    var result = sbx(Map.of(), "completion", "zsh");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out())
        .contains("autoload -U +X bashcompinit && bashcompinit\n#!/usr/bin/env bash")
        .contains("complete -F _complete_sbx");
  }

  @Test
  void completionForAnUnknownShellShouldExitWith2WithOneLine() {
    var result = sbx(Map.of(), "completion", "fish");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).isEqualTo("error: unknown shell \"fish\" (expected bash or zsh)\n");
  }

  @Test
  void completionWithoutAShellShouldExitWith2() {
    var result = sbx(Map.of(), "completion");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
    assertThat(result.err()).startsWith("error: Missing required parameter").hasLineCount(1);
  }

  @Test
  void completionHelpShouldShowHowToLoadTheScript() {
    var result = sbx(Map.of(), "completion", "--help");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out())
        .contains("source <(sbx completion bash)", "source <(sbx completion zsh)", "bash, zsh");
  }
}
