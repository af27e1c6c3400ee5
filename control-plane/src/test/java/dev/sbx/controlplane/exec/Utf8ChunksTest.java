package dev.sbx.controlplane.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8ChunksTest {

  @Test
  void decodeWhenACharacterIsSplitAcrossChunksShouldKeepItWhole() {
    var bytes = "añ€😀".getBytes(StandardCharsets.UTF_8);
    var chunks = new Utf8Chunks();
    var text = new StringBuilder();
    for (byte b : bytes) {
      text.append(chunks.decode(new byte[] {b}, 1));
    }
    text.append(chunks.finish());
    assertThat(text.toString()).isEqualTo("añ€😀");
  }

  @Test
  void finishWhenTheStreamEndsInsideACharacterShouldGiveAReplacementCharacter() {
    var chunks = new Utf8Chunks();
    var euro = "€".getBytes(StandardCharsets.UTF_8);
    assertThat(chunks.decode(euro, 2)).isEmpty();
    assertThat(chunks.finish()).isEqualTo("\uFFFD");
  }

  @Test
  void decodeWhenBytesAreInvalidShouldReplaceThemAndGoOn() {
    var chunks = new Utf8Chunks();
    assertThat(chunks.decode(new byte[] {'a', (byte) 0xff, 'b'}, 3)).isEqualTo("a\uFFFDb");
  }
}
