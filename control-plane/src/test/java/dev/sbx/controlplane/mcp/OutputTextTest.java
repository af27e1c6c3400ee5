package dev.sbx.controlplane.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class OutputTextTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void decodeWhenACharacterIsCutAtTheEndShouldLeaveItForTheNextRead() {
    var bytes = Arrays.copyOf(utf8("ab€"), 4); // "ab" and the first 2 of the euro's 3 bytes
    var decoded = OutputText.decode(bytes);
    assertThat(decoded.text()).isEqualTo("ab");
    assertThat(decoded.encoding()).isEqualTo("utf-8");
    assertThat(decoded.length()).isEqualTo(2);
  }

  @Test
  void decodeWhenTheBytesAreNotUtf8ShouldGiveAllOfThemAsBase64() {
    var decoded = OutputText.decode(new byte[] {'a', (byte) 0xff, 'b'});
    assertThat(decoded.encoding()).isEqualTo("base64");
    assertThat(decoded.text()).isEqualTo("Yf9i");
    assertThat(decoded.length()).isEqualTo(3);
  }

  @Test
  void headEndShouldPreferALineEndInTheLastQuarter() {
    assertThat(OutputText.headEnd(utf8("01234567\n9"), 10)).isEqualTo(9);
    assertThat(OutputText.headEnd(utf8("0\n2345678é"), 10)).isEqualTo(9); // no line: whole chars
  }

  @Test
  void tailStartShouldPreferALineStartInTheFirstQuarter() {
    assertThat(OutputText.tailStart(utf8("1\n34567890"))).isEqualTo(2);
    var cut = Arrays.copyOfRange(utf8("é23456789"), 1, 10); // starts inside the é
    assertThat(OutputText.tailStart(cut)).isEqualTo(1);
  }

  @Test
  void lastLineShouldBeTheLastNonEmptyLineWithoutControlCharacters() {
    assertThat(OutputText.lastLine(utf8("one\ntwo \u001b[31mred\u0007\n\n"), 200))
        .isEqualTo("two [31mred");
    assertThat(OutputText.lastLine(utf8("x".repeat(500)), 10)).hasSize(10);
  }
}
