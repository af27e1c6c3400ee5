package dev.sbx.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TerminalTest {

  @ParameterizedTest
  @ValueSource(strings = {"/dev/pts/3", "/dev/tty", "/dev/tty1", "/dev/ttyS0", "/dev/console"})
  void isDeviceShouldAcceptTerminals(String path) {
    assertThat(Terminal.isDevice(path)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"/dev/null", "/tmp/out.txt", "/proc/4242/fd/1", "/dev/ptmx", "pipe:[1234]", ""})
  void isDeviceShouldRejectFilesPipesAndNull(String path) {
    assertThat(Terminal.isDevice(path)).isFalse();
  }
}
