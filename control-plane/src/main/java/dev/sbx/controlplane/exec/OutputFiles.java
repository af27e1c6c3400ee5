package dev.sbx.controlplane.exec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jspecify.annotations.Nullable;

/**
 * The files of one exec's {@link StoredOutput}: stdout, stderr and the index, one set per
 * generation (a new one after each drop). The channels written to stay open while the exec writes;
 * they are guarded by the owner's lock. Reads go through an open channel when there is one, else
 * open their own, so that retained execs hold no descriptors.
 */
final class OutputFiles {

  static final int STDOUT = 0;
  static final int STDERR = 1;
  static final int INDEX = 2;
  private static final String[] SUFFIXES = {".out", ".err", ".idx"};

  private final Path folder;
  private final String execId;
  private final FileChannel[] channels = new FileChannel[3];

  OutputFiles(Path folder, String execId) {
    this.folder = folder;
    this.execId = execId;
  }

  /** One of an exec's files: 0 stdout, 1 stderr, 2 the index. */
  static Path file(Path folder, String execId, int gen, int file) {
    return folder.resolve(execId + "." + gen + SUFFIXES[file]);
  }

  Path path(int file, int gen) {
    return file(folder, execId, gen, file);
  }

  /**
   * The channel to write a file of this generation with, created with its first byte; a stream
   * file's position is at its end.
   */
  FileChannel writing(int file, int gen) throws IOException {
    if (channels[file] == null) {
      Files.createDirectories(folder);
      channels[file] =
          FileChannel.open(
              path(file, gen),
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      if (file != INDEX) {
        channels[file].position(channels[file].size());
      }
    }
    return channels[file];
  }

  /** The channel open for writing a file, or null. */
  @Nullable FileChannel open(int file) {
    return channels[file];
  }

  /**
   * Reads from a position until the buffer is full or the file ends.
   *
   * @param open the channel to read with, or null to open the file for this read
   * @return bytes read, or -1 when the file is not there (dropped)
   */
  static int read(@Nullable FileChannel open, Path path, ByteBuffer into, long position)
      throws IOException {
    var channel = open;
    if (channel == null) {
      try {
        channel = FileChannel.open(path, StandardOpenOption.READ);
      } catch (NoSuchFileException e) {
        return -1;
      }
    }
    try {
      int total = 0;
      while (into.hasRemaining()) {
        int n = channel.read(into, position + total);
        if (n < 0) {
          break;
        }
        total += n;
      }
      return total;
    } finally {
      if (open == null) {
        channel.close();
      }
    }
  }

  void close() {
    for (int i = 0; i < channels.length; i++) {
      if (channels[i] != null) {
        try {
          channels[i].close();
        } catch (IOException e) {
          // its file is deleted or read-only now; nothing to flush
        }
        channels[i] = null;
      }
    }
  }

  /** Closes and deletes the files of a generation. */
  void delete(int gen) {
    close();
    for (int i = 0; i < SUFFIXES.length; i++) {
      try {
        Files.deleteIfExists(path(i, gen));
      } catch (IOException e) {
        // the sandbox's folder goes as a whole later
      }
    }
  }
}
