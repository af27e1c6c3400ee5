package dev.sbx.sidecar;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decides how a read of file bytes goes on the wire: as text when it is valid UTF-8, else as
 * base64, so that every byte reaches the control plane unchanged.
 */
final class Utf8Chunker {

  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final CharBuffer text;
  private boolean isText;

  Utf8Chunker(int maxBytes) {
    // UTF-8 never decodes to more chars than it has bytes.
    this.text = CharBuffer.allocate(maxBytes);
  }

  /**
   * Returns how many of the bytes between position and limit to send now, leaving the buffer
   * untouched; 0 means wait for more. {@link #isText()} then says how they go.
   *
   * @param complete whether no byte will ever follow these
   */
  int cut(ByteBuffer bytes, boolean complete) {
    int length = bytes.remaining();
    var input = bytes.duplicate();
    decoder.reset();
    text.clear();
    var result = decoder.decode(input, text, false);
    text.flip();
    if (result.isError()) {
      isText = false;
      return length;
    }
    // The strict decoder stops before a character cut at the end; the file's next read
    // starts there, so the character goes whole in the next chunk.
    int whole = length - input.remaining();
    if (whole > 0) {
      isText = true;
      return whole;
    }
    isText = false;
    return complete ? length : 0;
  }

  boolean isText() {
    return isText;
  }

  /** The decoded characters of the last cut, when it was text. */
  CharBuffer text() {
    return text;
  }
}
