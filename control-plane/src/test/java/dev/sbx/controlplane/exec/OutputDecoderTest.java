package dev.sbx.controlplane.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OutputDecoderTest {

  @Test
  void decodeWhenACharacterIsSplitAcrossChunksShouldKeepItWhole() {
    var bytes = "añ€😀".getBytes(StandardCharsets.UTF_8);
    var decoder = new OutputDecoder();
    var text = new StringBuilder();
    for (byte b : bytes) {
      var payload = decoder.decode(new byte[] {b}, 1);
      if (payload != null) {
        assertThat(payload.base64()).isFalse();
        text.append(payload.data());
      }
    }
    assertThat(decoder.finish()).isNull();
    assertThat(text.toString()).isEqualTo("añ€😀");
  }

  @Test
  void decodeWhenBytesAreNotUtf8ShouldSendThemAsBase64() {
    var decoder = new OutputDecoder();
    var payload = decoder.decode(new byte[] {'a', (byte) 0xff, 'b'}, 3);
    assertThat(payload.base64()).isTrue();
    assertThat(Base64.getDecoder().decode(payload.data())).containsExactly('a', 0xff, 'b');
  }

  @Test
  void decodeShouldTellANonAsciiByteAnywhereInALongChunk() {
    // Up to the last byte but one: a last byte that may start a character waits for the next chunk.
    for (int at = 0; at < 39; at++) {
      var chunk = "x".repeat(40).getBytes(StandardCharsets.US_ASCII);
      chunk[at] = (byte) 0xFF;
      var payload = new OutputDecoder().decode(chunk, chunk.length);
      assertThat(payload.base64()).as("0xFF at %d", at).isTrue();
      assertThat(Base64.getDecoder().decode(payload.data())).isEqualTo(chunk);

      var text = "x".repeat(at) + "é" + "y".repeat(39 - at);
      var bytes = text.getBytes(StandardCharsets.UTF_8);
      assertThat(new OutputDecoder().decode(bytes, bytes.length).data()).isEqualTo(text);
    }
  }

  @Test
  void finishWhenTheStreamEndsInsideACharacterShouldSendTheBytesAsTheyAre() {
    var decoder = new OutputDecoder();
    var euro = "€".getBytes(StandardCharsets.UTF_8);
    assertThat(decoder.decode(euro, 2)).isNull();
    var rest = decoder.finish();
    assertThat(rest.base64()).isTrue();
    assertThat(Base64.getDecoder().decode(rest.data())).containsExactly(euro[0], euro[1]);
  }

  @Test
  void anyBytesInAnyChunksShouldComeOutExactly() {
    var random = new Random(42);
    for (int round = 0; round < 200; round++) {
      var input = new byte[random.nextInt(300)];
      if (round % 2 == 0) {
        random.nextBytes(input);
      } else {
        var text = "héllo wörld € 😀 ".repeat(20).getBytes(StandardCharsets.UTF_8);
        input = Arrays.copyOf(text, Math.min(text.length, input.length));
      }
      var decoder = new OutputDecoder();
      var out = new ByteArrayOutputStream();
      int offset = 0;
      while (offset < input.length) {
        int length = 1 + random.nextInt(Math.min(17, input.length - offset));
        var chunk = Arrays.copyOfRange(input, offset, offset + length);
        write(out, decoder.decode(chunk, length));
        offset += length;
      }
      write(out, decoder.finish());
      assertThat(out.toByteArray()).isEqualTo(input);
    }
  }

  private static void write(ByteArrayOutputStream out, OutputDecoder.Payload payload) {
    if (payload != null) {
      out.writeBytes(
          payload.base64()
              ? Base64.getDecoder().decode(payload.data())
              : payload.data().getBytes(StandardCharsets.UTF_8));
    }
  }
}
