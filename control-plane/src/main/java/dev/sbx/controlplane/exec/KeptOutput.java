package dev.sbx.controlplane.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Where an exec's {@link StoredOutput} stands: which files, which seqs they index, how many bytes
 * of each stream were written and where the kept ones start. Saved with a finished exec's {@link
 * ExecSummary}, or worked out from the files of an exec a restart interrupted, so that a control
 * plane that restarts serves the same output again.
 *
 * @param generation the files' generation (one more after each drop)
 * @param firstSeq the seq of the first indexed event; -1 when none is kept
 * @param lastSeq the last seq indexed or dropped
 * @param droppedThrough the last seq whose bytes were dropped (0: none)
 * @param droppedBytes bytes dropped to stay in the budget
 * @param keptBytes what the kept files cost
 * @param endOut bytes of stdout written, kept or not
 * @param endErr bytes of stderr written, kept or not
 * @param baseOut where the kept stdout starts
 * @param baseErr where the kept stderr starts
 */
record KeptOutput(
    int generation,
    long firstSeq,
    long lastSeq,
    long droppedThrough,
    long droppedBytes,
    long keptBytes,
    long endOut,
    long endErr,
    long baseOut,
    long baseErr) {

  KeptOutput {
    if (generation < 0
        || firstSeq < -1
        || lastSeq < 0
        || droppedThrough < 0
        || droppedBytes < 0
        || keptBytes < 0
        || baseOut < 0
        || baseErr < 0
        || endOut < baseOut
        || endErr < baseErr) {
      throw new IllegalArgumentException("inconsistent stored output");
    }
  }

  String encode() {
    return generation
        + ","
        + firstSeq
        + ","
        + lastSeq
        + ","
        + droppedThrough
        + ","
        + droppedBytes
        + ","
        + keptBytes
        + ","
        + endOut
        + ","
        + endErr
        + ","
        + baseOut
        + ","
        + baseErr;
  }

  static KeptOutput decode(String text) {
    var parts = text.split(",", -1);
    if (parts.length != 10) {
      throw new IllegalArgumentException("stored output: 10 numbers expected");
    }
    var n = new long[10];
    for (int i = 0; i < n.length; i++) {
      n[i] = Long.parseLong(parts[i]);
    }
    return new KeptOutput(
        Math.toIntExact(n[0]), n[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8], n[9]);
  }

  /**
   * The output files of an exec that was running when the control plane stopped, as they are: its
   * first generation only (a generation after a drop cannot be placed without what the last run
   * knew), its index read up to its last whole record. Null when there is nothing to take up.
   *
   * @param startSeq the seq of the exec's start event; its output events follow it
   */
  static @Nullable KeptOutput ofFiles(Path folder, String execId, long startSeq)
      throws IOException {
    var index = OutputFiles.file(folder, execId, 0, 2);
    if (!Files.isRegularFile(index, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    long records = Files.size(index) / IndexRecord.SIZE;
    long out = size(OutputFiles.file(folder, execId, 0, 0));
    long err = size(OutputFiles.file(folder, execId, 0, 1));
    return new KeptOutput(
        0,
        records > 0 ? startSeq + 1 : -1,
        startSeq + records,
        0,
        0,
        out + err + records * IndexRecord.SIZE,
        out,
        err,
        0,
        0);
  }

  private static long size(Path file) throws IOException {
    return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) ? Files.size(file) : 0;
  }
}
