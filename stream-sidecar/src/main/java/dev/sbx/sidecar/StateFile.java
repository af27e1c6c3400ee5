package dev.sbx.sidecar;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;

/** An exec's {@code <id>.state} file: how far the control plane has acknowledged its output. */
final class StateFile {

  /**
   * Acknowledged progress of one exec.
   *
   * @param seq the last seq the control plane acknowledged
   * @param stdout bytes of stdout acknowledged
   * @param stderr bytes of stderr acknowledged
   */
  record Progress(long seq, long stdout, long stderr) {}

  private final Path file;
  private final Path tmp;

  StateFile(Path file) {
    this.file = file;
    this.tmp = file.resolveSibling(file.getFileName() + ".tmp");
  }

  /** Returns null when nothing was acknowledged yet. */
  Progress read() throws IOException {
    String text;
    try {
      text = Files.readString(file, US_ASCII);
    } catch (NoSuchFileException e) {
      return null;
    }
    var fields = new HashMap<String, Long>();
    try {
      for (String field : text.strip().split("\\s+")) {
        int eq = field.indexOf('=');
        fields.put(field.substring(0, eq), Long.parseLong(field.substring(eq + 1)));
      }
    } catch (RuntimeException e) {
      throw new IOException("unreadable " + file + ": " + text.strip());
    }
    return new Progress(
        fields.getOrDefault("seq", 0L),
        fields.getOrDefault("stdout", 0L),
        fields.getOrDefault("stderr", 0L));
  }

  /**
   * Replaces the file by rename, so a crash leaves the old or the new progress, never half of one.
   * No fsync: the folder is an emptyDir, which outlives the container but not the node.
   */
  void write(Progress progress) throws IOException {
    String text =
        "seq=" + progress.seq() + " stdout=" + progress.stdout() + " stderr=" + progress.stderr();
    Files.writeString(tmp, text + "\n", US_ASCII);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
