package dev.sbx.controlplane.web.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** The relay follows frame boundaries in a server's bytes however the reads split them. */
class ServerFramesTest {

  @Test
  void framesOfEveryLengthFormShouldBeFollowedAcrossAnySplit() {
    var bytes = new ByteArrayOutputStream();
    bytes.writeBytes(frame(0x1, 5)); // 7-bit length
    bytes.writeBytes(frame(0x2, 300)); // 16-bit length
    bytes.writeBytes(frame(0x2, 70_000)); // 64-bit length
    var all = bytes.toByteArray();
    for (int split : new int[] {1, 2, 3, 7, 100, all.length}) {
      var frames = new ServerFrames();
      for (int i = 0; i < all.length; i += split) {
        int n = Math.min(split, all.length - i);
        frames.update(all, i, n);
        if (i + n < all.length) {
          assertThat(frames.closeSeen()).isFalse();
        }
      }
      assertThat(frames.betweenFrames()).as("split %d", split).isTrue();
      assertThat(frames.closeSeen()).isFalse();
    }
    var cut = new ServerFrames();
    cut.update(all, 0, all.length - 1);
    assertThat(cut.betweenFrames()).isFalse();
  }

  @Test
  void aCloseFrameShouldBeSeenAndTheRelaysOwnBeWellFormed() {
    var frames = new ServerFrames();
    var close = ServerFrames.goingAway("gone");
    assertThat(close).startsWith((byte) 0x88, (byte) 6, (byte) 0x03, (byte) 0xE9);
    frames.update(frame(0x1, 10), 0, 12);
    frames.update(close, 0, close.length);
    assertThat(frames.closeSeen()).isTrue();
    assertThat(frames.betweenFrames()).isTrue();
  }

  private static byte[] frame(int opcode, int length) {
    var out = new ByteArrayOutputStream();
    out.write(0x80 | opcode);
    if (length < 126) {
      out.write(length);
    } else if (length < 65536) {
      out.write(126);
      out.write(length >> 8);
      out.write(length & 0xFF);
    } else {
      out.write(127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) (((long) length >> shift) & 0xFF));
      }
    }
    out.writeBytes(new byte[length]);
    return out.toByteArray();
  }
}
