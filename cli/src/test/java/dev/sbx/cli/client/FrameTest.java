package dev.sbx.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.ProtocolException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameTest {

  private static final byte[] MASK = {1, 2, 3, 4};

  private static byte[] written(int payloadLength) throws Exception {
    var out = new ByteArrayOutputStream();
    new Frame(true, Frame.TEXT, new byte[payloadLength]).write(out, MASK);
    return out.toByteArray();
  }

  @Test
  void writeShouldMaskThePayloadWithTheGivenKey() throws Exception {
    var out = new ByteArrayOutputStream();

    new Frame(true, Frame.PONG, new byte[] {10, 20}).write(out, MASK);

    assertThat(out.toByteArray()).containsExactly(0x8A, 0x80 | 2, 1, 2, 3, 4, 10 ^ 1, 20 ^ 2);
  }

  @Test
  void writeShouldUseA16BitLengthFrom126Bytes() throws Exception {
    byte[] bytes = written(300);

    assertThat(bytes[1] & 0xFF).isEqualTo(0x80 | 126);
    assertThat(((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF)).isEqualTo(300);
    assertThat(bytes).hasSize(2 + 2 + 4 + 300);
  }

  @Test
  void writeShouldUseA64BitLengthFrom65536Bytes() throws Exception {
    byte[] bytes = written(70_000);

    assertThat(bytes[1] & 0xFF).isEqualTo(0x80 | 127);
    assertThat(Arrays.copyOfRange(bytes, 2, 10)).containsExactly(0, 0, 0, 0, 0, 1, 0x11, 0x70);
    assertThat(bytes).hasSize(2 + 8 + 4 + 70_000);
  }

  @Test
  void readShouldRejectAMaskedFrameFromTheServer() {
    var in = new ByteArrayInputStream(new byte[] {(byte) 0x81, (byte) 0x81, 0, 0, 0, 0, 'x'});

    assertThatThrownBy(() -> Frame.read(in)).isInstanceOf(ProtocolException.class);
  }

  @Test
  void readShouldRejectAFragmentedControlFrame() {
    var in = new ByteArrayInputStream(new byte[] {(byte) 0x09, 0});

    assertThatThrownBy(() -> Frame.read(in)).isInstanceOf(ProtocolException.class);
  }
}
