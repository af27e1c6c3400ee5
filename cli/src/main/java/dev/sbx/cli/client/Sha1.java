package dev.sbx.cli.client;

import java.nio.charset.StandardCharsets;

/**
 * SHA-1 of a string, for the handshake's {@code Sec-WebSocket-Accept} check only.
 *
 * <p>{@code MessageDigest} would do, but loading the security providers costs about 30 ms of
 * start-up, an eighth of the budget for a short {@code sbx exec}.
 */
final class Sha1 {

  private Sha1() {}

  static byte[] digest(String text) {
    byte[] message = text.getBytes(StandardCharsets.UTF_8);
    int blocks = (message.length + 8) / 64 + 1;
    byte[] padded = new byte[blocks * 64];
    System.arraycopy(message, 0, padded, 0, message.length);
    padded[message.length] = (byte) 0x80;
    long bits = (long) message.length * 8;
    for (int i = 0; i < 8; i++) {
      padded[padded.length - 1 - i] = (byte) (bits >>> (8 * i));
    }
    int[] h = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
    int[] w = new int[80];
    for (int block = 0; block < blocks; block++) {
      for (int i = 0; i < 16; i++) {
        int at = block * 64 + i * 4;
        w[i] =
            (padded[at] & 0xFF) << 24
                | (padded[at + 1] & 0xFF) << 16
                | (padded[at + 2] & 0xFF) << 8
                | (padded[at + 3] & 0xFF);
      }
      for (int i = 16; i < 80; i++) {
        w[i] = Integer.rotateLeft(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
      }
      compress(h, w);
    }
    byte[] digest = new byte[20];
    for (int i = 0; i < 20; i++) {
      digest[i] = (byte) (h[i / 4] >>> (24 - 8 * (i % 4)));
    }
    return digest;
  }

  private static void compress(int[] h, int[] w) {
    int a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; i++) {
      int f;
      int k;
      if (i < 20) {
        f = (b & c) | (~b & d);
        k = 0x5A827999;
      } else if (i < 40) {
        f = b ^ c ^ d;
        k = 0x6ED9EBA1;
      } else if (i < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8F1BBCDC;
      } else {
        f = b ^ c ^ d;
        k = 0xCA62C1D6;
      }
      int t = Integer.rotateLeft(a, 5) + f + e + k + w[i];
      e = d;
      d = c;
      c = Integer.rotateLeft(b, 30);
      b = a;
      a = t;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
  }
}
