package dev.sbx.sidecar;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import tools.jackson.core.Base64Variants;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;

/**
 * Builds the frames the sidecar sends, in buffers reused for every frame, so memory stays flat
 * however much output flows. Jackson's generator lends its own buffers from a pool.
 */
final class Frames {

  /** The most file bytes one output frame carries. */
  static final int MAX_CHUNK = 64 * 1024;

  // The control plane refuses frames over 256 KiB. Escaping can make text six times longer
  // (\u0000), so a text frame that would grow past this goes as base64, which adds a third at most.
  private static final int MAX_TEXT_FRAME_BYTES = 192 * 1024;

  private static final JsonFactory JSON =
      JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

  private final ByteBuffer bytes = ByteBuffer.allocate(MAX_CHUNK);
  private final Utf8Chunker chunker = new Utf8Chunker(MAX_CHUNK);
  private final FrameBuffer out = new FrameBuffer(4096);
  private CharSequence frame = "";

  /** The frame built last; valid until the next one is built. */
  CharSequence frame() {
    return frame;
  }

  void start(String execId, long resumeSeq) {
    try (var json = begin("start", execId)) {
      json.writeNumberProperty("resume_seq", resumeSeq);
    }
    frame = out.chars();
  }

  void exit(String execId, int exitCode, long resumeSeq) {
    try (var json = begin("exit", execId)) {
      json.writeNumberProperty("exit_code", exitCode);
      json.writeNumberProperty("resume_seq", resumeSeq);
    }
    frame = out.chars();
  }

  /**
   * Reads a file from offset towards size and builds an output frame of what can go now.
   *
   * @param sizeIsFinal whether the file will not grow any more
   * @return the file bytes the frame carries; 0 when nothing can go yet and no frame was built
   */
  int output(
      String execId,
      String stream,
      Path file,
      long offset,
      long size,
      boolean sizeIsFinal,
      long resumeSeq)
      throws IOException {
    read(file, offset, (int) Math.min(MAX_CHUNK, size - offset));
    int length = chunker.cut(bytes, sizeIsFinal && offset + bytes.remaining() == size);
    if (length == 0) {
      return 0;
    }
    if (!chunker.isText() || !outputAsText(execId, stream, offset, length, resumeSeq)) {
      try (var json = beginOutput(execId, stream, offset)) {
        // Jackson encodes straight into its buffer (standard alphabet, padded, no line feeds, as
        // java.util.Base64.getEncoder()), where the JDK's encoder would copy each chunk twice.
        json.writeName("data");
        json.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, bytes.array(), 0, length);
        json.writeStringProperty("encoding", "base64");
        json.writeNumberProperty("resume_seq", resumeSeq);
      }
    }
    frame = out.chars();
    return length;
  }

  /** Builds an output frame with the chunk as text; false when that frame would be too large. */
  private boolean outputAsText(
      String execId, String stream, long offset, int length, long resumeSeq) {
    var text = chunker.text();
    try (var json = beginOutput(execId, stream, offset)) {
      json.writeName("data");
      json.writeString(text.array(), text.arrayOffset() + text.position(), text.remaining());
      json.writeNumberProperty("resume_seq", resumeSeq);
    }
    // Everything but the text is ASCII, so this is the frame's size in UTF-8.
    return out.size() - text.remaining() + length <= MAX_TEXT_FRAME_BYTES;
  }

  private JsonGenerator beginOutput(String execId, String stream, long offset) {
    var json = begin("output", execId);
    json.writeStringProperty("stream", stream);
    json.writeNumberProperty("offset", offset);
    return json;
  }

  /** Starts a frame in the reused buffer; closing the generator ends the object. */
  private JsonGenerator begin(String type, String execId) {
    out.reset();
    var json = JSON.createGenerator(out);
    json.writeStartObject();
    json.writeStringProperty("type", type);
    json.writeStringProperty("exec_id", execId);
    return json;
  }

  private void read(Path file, long offset, int length) throws IOException {
    bytes.clear().limit(length);
    try (var channel = FileChannel.open(file, StandardOpenOption.READ)) {
      while (bytes.hasRemaining()) {
        if (channel.read(bytes, offset + bytes.position()) < 0) {
          break;
        }
      }
    }
    bytes.flip();
  }
}
