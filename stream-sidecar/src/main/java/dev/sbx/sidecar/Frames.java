package dev.sbx.sidecar;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Builds the frames the sidecar sends, in buffers reused for every frame, so memory stays flat
 * however much output flows.
 */
final class Frames {

  /** The most file bytes one output frame carries. */
  static final int MAX_CHUNK = 64 * 1024;

  // The control plane refuses frames over 256 KiB. Escaping can make text six times longer
  // (\u0000), so text that would grow past this goes as base64, which adds a third at most.
  private static final int MAX_TEXT_DATA = 192 * 1024;

  private final ByteBuffer bytes = ByteBuffer.allocate(MAX_CHUNK);
  private final Utf8Chunker chunker = new Utf8Chunker(MAX_CHUNK);
  private final JsonWriter json = new JsonWriter(4096);
  private CharSequence frame = "";

  /** The frame built last; valid until the next one is built. */
  CharSequence frame() {
    return frame;
  }

  void start(String execId, long resumeSeq) {
    json.begin().put("type", "start").put("exec_id", execId);
    frame = json.put("resume_seq", resumeSeq).end();
  }

  void exit(String execId, int exitCode, long resumeSeq) {
    json.begin().put("type", "exit").put("exec_id", execId).put("exit_code", exitCode);
    frame = json.put("resume_seq", resumeSeq).end();
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
    json.begin().put("type", "output").put("exec_id", execId);
    json.put("stream", stream).put("offset", offset);
    var text = chunker.text();
    if (chunker.isText() && length + JsonWriter.escapeOverhead(text) <= MAX_TEXT_DATA) {
      json.put("data", text);
    } else {
      json.putBase64("data", bytes.array(), 0, length).put("encoding", "base64");
    }
    frame = json.put("resume_seq", resumeSeq).end();
    return length;
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
