package dev.sbx.sidecar;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class Utf8ChunkerTest {

  private final Utf8Chunker chunker = new Utf8Chunker(64);

  @Test
  void validTextShouldGoWholeAsText() {
    var bytes = ByteBuffer.wrap("héllo ✓ \uD83D\uDE00".getBytes(UTF_8));

    assertThat(chunker.cut(bytes, false)).isEqualTo(bytes.remaining());
    assertThat(chunker.isText()).isTrue();
    assertThat(chunker.text().toString()).isEqualTo("héllo ✓ \uD83D\uDE00");
  }

  @Test
  void characterCutAtTheEndShouldWaitForTheNextRead() {
    byte[] smiley = "\uD83D\uDE00".getBytes(UTF_8);
    var bytes = ByteBuffer.wrap(new byte[] {'a', 'b', smiley[0], smiley[1], smiley[2]});

    assertThat(chunker.cut(bytes, false)).isEqualTo(2);
    assertThat(chunker.isText()).isTrue();
    assertThat(chunker.text().toString()).isEqualTo("ab");
    assertThat(bytes.remaining()).as("the buffer is left alone").isEqualTo(5);
  }

  @Test
  void onlyACutCharacterShouldWaitWhileMoreMayCome() {
    var bytes = ByteBuffer.wrap(new byte[] {(byte) 0xe2, (byte) 0x82});

    assertThat(chunker.cut(bytes, false)).isZero();
  }

  @Test
  void cutCharacterThatCanNeverCompleteShouldGoAsBase64() {
    var bytes = ByteBuffer.wrap(new byte[] {(byte) 0xe2, (byte) 0x82});

    assertThat(chunker.cut(bytes, true)).isEqualTo(2);
    assertThat(chunker.isText()).isFalse();
  }

  @Test
  void invalidBytesAnywhereShouldSendTheWholeReadAsBase64() {
    var bytes = ByteBuffer.wrap(new byte[] {'o', 'k', (byte) 0xff, 'x'});

    assertThat(chunker.cut(bytes, false)).isEqualTo(4);
    assertThat(chunker.isText()).isFalse();
  }

  @Test
  void encodedSurrogatesAndOverlongFormsShouldNotPassAsText() {
    var surrogate = ByteBuffer.wrap(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80});
    var overlong = ByteBuffer.wrap(new byte[] {(byte) 0xc0, (byte) 0xaf});

    chunker.cut(surrogate, true);
    assertThat(chunker.isText()).isFalse();
    chunker.cut(overlong, true);
    assertThat(chunker.isText()).isFalse();
  }
}
