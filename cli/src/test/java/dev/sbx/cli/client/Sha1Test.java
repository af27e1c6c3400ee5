package dev.sbx.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class Sha1Test {

  @Test
  void digestShouldMatchTheJdkAcrossBlockBoundaries() throws Exception {
    var jdk = MessageDigest.getInstance("SHA-1");
    for (int length : new int[] {0, 1, 55, 56, 63, 64, 65, 119, 120, 1000}) {
      String text = "a".repeat(length);

      assertThat(Sha1.digest(text))
          .as("length %d", length)
          .isEqualTo(jdk.digest(text.getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Test
  void digestShouldGiveTheAcceptValueOfRfc6455() {
    String accept =
        Base64.getEncoder()
            .encodeToString(
                Sha1.digest("dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11"));

    assertThat(accept).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  }
}
