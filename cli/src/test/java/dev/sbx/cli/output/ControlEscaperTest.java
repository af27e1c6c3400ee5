package dev.sbx.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ControlEscaperTest {

  private final ByteArrayOutputStream written = new ByteArrayOutputStream();
  private final Printer printer =
      new Printer(new PrintStream(written, true, StandardCharsets.UTF_8)).escapingControls();

  private String shown() {
    return written.toString(StandardCharsets.UTF_8);
  }

  @Test
  void escapeSequencesShouldBeShownRatherThanSent() {
    printer.raw("\u001b]0;pwned\u0007title set\u001b[2Jscreen cleared\n");

    assertThat(shown()).isEqualTo("\\u001b]0;pwned\\u0007title set\\u001b[2Jscreen cleared\n");
  }

  @Test
  void newlineReturnTabAndBackspaceShouldPassWithPlainText() {
    printer.raw("a\tb\r\nprogress 50%\rprogress 100%\b\b\b\b\n");

    assertThat(shown()).isEqualTo("a\tb\r\nprogress 50%\rprogress 100%\b\b\b\b\n");
  }

  @Test
  void otherC0ControlsAndDelShouldBeEscaped() {
    printer.raw("\u0000\u0005\u000b\u000c\u000e\u001f\u007f.");

    assertThat(shown()).isEqualTo("\\u0000\\u0005\\u000b\\u000c\\u000e\\u001f\\u007f.");
  }

  @Test
  void c1ControlsShouldBeEscapedWithoutTheirLeadByte() {
    printer.raw("\u009b2J\u0080\u009f.");

    assertThat(shown()).isEqualTo("\\u009b2J\\u0080\\u009f.");
  }

  @Test
  void multibyteUtf8ShouldPassUnchanged() {
    String text = "é ü § \u00a0 日本語 😀 \u0100\u07ff\n";

    printer.raw(text);

    assertThat(written.toByteArray()).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void c1ControlSplitAcrossWritesShouldNotReachTheTerminalWhole() {
    printer.bytes(new byte[] {'a', (byte) 0xC2});
    printer.bytes(new byte[] {(byte) 0x9B, '2', 'J'});

    // The lone lead byte went out first; what follows it can no longer complete a CSI.
    assertThat(written.toByteArray())
        .isEqualTo(new byte[] {'a', (byte) 0xC2, '\\', 'u', '0', '0', '9', 'b', '2', 'J'});
  }

  @Test
  void bytesThatAreNotUtf8ShouldPassUnlessTheyAreControls() {
    printer.bytes(new byte[] {(byte) 0xFF, (byte) 0x9B, 0x1B, (byte) 0xC3, (byte) 0x28});

    assertThat(written.toByteArray())
        .isEqualTo(
            new byte[] {
              (byte) 0xFF, (byte) 0x9B, '\\', 'u', '0', '0', '1', 'b', (byte) 0xC3, 0x28
            });
  }

  @Test
  void aPrinterWithoutEscapingShouldWriteEveryByteAsIs() {
    var plain = new Printer(new PrintStream(written, true, StandardCharsets.UTF_8));

    plain.raw("\u001b[2J\u009b\n");

    assertThat(shown()).isEqualTo("\u001b[2J\u009b\n");
  }
}
