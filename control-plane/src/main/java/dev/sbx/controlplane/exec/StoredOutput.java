package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.runtime.OutputStreamKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * One exec's output on disk: the exact bytes of stdout and of stderr, each in a file of its own,
 * and an index with one fixed-size record per output event (its stream, where its bytes start, how
 * many, whether they went out as base64, when). Any output event is rebuilt from these, exactly as
 * it was first sent, and {@code /output} reads the stream files as they are.
 *
 * <p>To stay in its sandbox's budget the store may drop what is kept so far ({@link #drop}): later
 * output starts a new set of files, and everything before it counts as dropped.
 *
 * <p>Files are created with the first byte of output, so an exec that prints nothing costs nothing;
 * they stay open while the exec writes and are opened per read once it ended, so retained execs
 * hold no descriptors.
 */
public final class StoredOutput {

  static final int RECORD = 32;
  private static final String[] SUFFIXES = {".out", ".err", ".idx"};

  private final Path folder;
  private final String sandboxId;
  private final String execId;
  private final long created;

  // All guarded by this.
  private final long[] ends = new long[2]; // bytes written per stream, since the exec started
  private final long[] bases = new long[2]; // where the kept files start in each stream
  private long firstSeq = -1; // seq of the first kept index record; -1 until one is written
  private long lastSeq; // the last seq indexed or dropped
  private long droppedThrough; // the last seq whose bytes were dropped (0: none)
  private long droppedBytes;
  private long keptBytes; // what the kept files cost, as charged to the store
  private final FileChannel[] channels = new FileChannel[3];
  private boolean sealed; // the exec ended: no more writes
  private boolean deleted;
  private int generation; // file name suffix, new after each drop

  StoredOutput(Path folder, String sandboxId, String execId, long created) {
    this.folder = folder;
    this.sandboxId = sandboxId;
    this.execId = execId;
    this.created = created;
  }

  String execId() {
    return execId;
  }

  /** Where this output stands, to take it up again after a restart. */
  synchronized KeptOutput kept() {
    return new KeptOutput(
        generation,
        firstSeq,
        lastSeq,
        droppedThrough,
        droppedBytes,
        keptBytes,
        ends[0],
        ends[1],
        bases[0],
        bases[1]);
  }

  /** Takes up output an earlier run of the control plane kept, sealed: its exec has ended. */
  synchronized void takeUp(KeptOutput kept) {
    generation = kept.generation();
    firstSeq = kept.firstSeq();
    lastSeq = kept.lastSeq();
    droppedThrough = kept.droppedThrough();
    droppedBytes = kept.droppedBytes();
    keptBytes = kept.keptBytes();
    ends[0] = kept.endOut();
    ends[1] = kept.endErr();
    bases[0] = kept.baseOut();
    bases[1] = kept.baseErr();
    sealed = true;
  }

  /** Order of creation in the sandbox, to drop the oldest first. */
  long created() {
    return created;
  }

  /**
   * Appends raw bytes of a stream, before they become events.
   *
   * @param at where they start in the stream, when the writer knows (-1: right after the last)
   * @return what that cost on disk (to charge the sandbox's budget)
   */
  synchronized long write(OutputStreamKind stream, byte[] data, int length, long at) {
    int index = stream.ordinal();
    if (at > ends[index] && ends[index] == bases[index]) {
      // Output of an exec taken up after a restart: what came before it is not ours to keep.
      droppedBytes += at - ends[index];
      bases[index] = at;
      ends[index] = at;
    }
    ends[index] += length;
    if (deleted || sealed || length == 0) {
      return 0;
    }
    try {
      var channel = channel(index);
      var buffer = ByteBuffer.wrap(data, 0, length);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      keptBytes += length;
      return length;
    } catch (IOException e) {
      throw new UncheckedIOException("could not keep output of exec " + execId, e);
    }
  }

  /**
   * Records an output event whose bytes were {@linkplain #write written} already.
   *
   * @return what that cost on disk
   */
  synchronized long index(ExecEvent.Output event, int byteLength) {
    long seq = event.seq();
    int stream = event.stream().ordinal();
    lastSeq = seq;
    if (deleted || sealed) {
      return 0;
    }
    // Its first bytes went with files dropped meanwhile (and were counted then): it is gone too,
    // and, once later events are kept, its record says so (length -1).
    boolean gone = event.offset() < bases[stream];
    if (gone && firstSeq < 0) {
      droppedThrough = seq;
      return 0;
    }
    try {
      if (firstSeq < 0) {
        firstSeq = seq;
      }
      var record = ByteBuffer.allocate(RECORD);
      record.put(0, (byte) stream);
      record.put(1, (byte) (event.base64() ? 1 : 0));
      record.putLong(8, event.offset());
      record.putInt(16, gone ? -1 : byteLength);
      var time = event.time();
      record.putLong(24, time.getEpochSecond() * 1_000_000_000L + time.getNano());
      var channel = channel(2);
      long position = (seq - firstSeq) * RECORD;
      while (record.hasRemaining()) {
        channel.write(record, position + record.position());
      }
      keptBytes += RECORD;
      return RECORD;
    } catch (IOException e) {
      throw new UncheckedIOException("could not keep output of exec " + execId, e);
    }
  }

  /** The exec ended: closes the files; reads open them as needed. */
  synchronized void seal() {
    sealed = true;
    closeChannels();
  }

  /** The first seq still kept, or 0 when nothing is kept. */
  synchronized long firstKeptSeq() {
    return firstSeq > 0 && !deleted ? firstSeq : 0;
  }

  synchronized long droppedThrough() {
    return droppedThrough;
  }

  synchronized long droppedBytes() {
    return droppedBytes;
  }

  /** Bytes written to a stream so far, kept or not. */
  synchronized long end(OutputStreamKind stream) {
    return ends[stream.ordinal()];
  }

  /** Where the kept bytes of a stream start; earlier ones were dropped. */
  synchronized long base(OutputStreamKind stream) {
    return bases[stream.ordinal()];
  }

  synchronized boolean sealed() {
    return sealed;
  }

  synchronized long keptBytes() {
    return keptBytes;
  }

  /**
   * Deletes what is kept, to free its cost for the budget; output written later is kept in new
   * files. Returns the bytes freed.
   */
  synchronized long drop() {
    if (keptBytes == 0 || deleted) {
      return 0;
    }
    long freed = keptBytes;
    if (firstSeq > 0) {
      droppedThrough = Math.max(droppedThrough, lastSeq);
    }
    droppedBytes += (ends[0] - bases[0]) + (ends[1] - bases[1]);
    bases[0] = ends[0];
    bases[1] = ends[1];
    firstSeq = -1;
    keptBytes = 0;
    deleteFiles();
    generation++;
    return freed;
  }

  /** Deletes everything for good: the exec is forgotten or its sandbox is gone. */
  synchronized long delete() {
    long freed = keptBytes;
    deleted = true;
    keptBytes = 0;
    deleteFiles();
    return freed;
  }

  /**
   * Rebuilds a kept output event.
   *
   * @return null when it is not kept (any more)
   */
  ExecEvent.@Nullable Output event(long seq) {
    var chunk = chunk(seq);
    if (chunk == null) {
      return null;
    }
    String data = null;
    if (!chunk.base64()) {
      data = Utf8.decode(chunk.bytes(), 0, chunk.bytes().length);
    }
    boolean base64 = data == null;
    if (base64) {
      data = Base64.getEncoder().encodeToString(chunk.bytes());
    }
    return new ExecEvent.Output(
        sandboxId, execId, seq, chunk.stream(), data, base64, chunk.offset(), chunk.time());
  }

  @Nullable OutputChunk chunk(long seq) {
    long first;
    long[] basesNow;
    int gen;
    synchronized (this) {
      first = firstSeq;
      if (deleted || first < 0 || seq < first || seq > lastSeq) {
        return null;
      }
      basesNow = bases.clone();
      gen = generation;
    }
    try {
      var record = ByteBuffer.allocate(RECORD);
      if (read(2, gen, record, (seq - first) * RECORD) < RECORD) {
        return null;
      }
      var stream = OutputStreamKind.values()[record.get(0) & 1];
      long offset = record.getLong(8);
      int length = record.getInt(16);
      long nanos = record.getLong(24);
      var bytes = ByteBuffer.allocate(Math.max(0, length));
      if (length < 0
          || read(stream.ordinal(), gen, bytes, offset - basesNow[stream.ordinal()]) < length) {
        return null;
      }
      synchronized (this) {
        if (generation != gen || deleted) {
          return null; // dropped while read: what was read may be another generation's
        }
      }
      return new OutputChunk(
          stream,
          offset,
          bytes.array(),
          record.get(1) == 1,
          Instant.ofEpochSecond(
              Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)));
    } catch (IOException e) {
      return null; // dropped meanwhile
    }
  }

  /**
   * Reads raw bytes of a stream from an offset into the buffer.
   *
   * @return bytes read, 0 when none are there yet, or -1 when offset is before what is kept
   */
  int read(OutputStreamKind stream, long offset, ByteBuffer into) {
    int index = stream.ordinal();
    long base;
    long end;
    int gen;
    synchronized (this) {
      base = bases[index];
      end = ends[index];
      gen = generation;
      if (offset < base || deleted) {
        return -1;
      }
    }
    if (offset >= end) {
      return 0;
    }
    into.limit((int) Math.min(into.capacity(), end - offset));
    try {
      int n = read(index, gen, into, offset - base);
      synchronized (this) {
        if (generation != gen || deleted) {
          return -1;
        }
      }
      return Math.max(0, n);
    } catch (IOException e) {
      return -1;
    }
  }

  private int read(int file, int gen, ByteBuffer into, long position) throws IOException {
    FileChannel channel;
    boolean own = false;
    synchronized (this) {
      channel = gen == generation && !sealed ? channels[file] : null;
    }
    if (channel == null) {
      try {
        channel = FileChannel.open(path(file, gen), StandardOpenOption.READ);
      } catch (NoSuchFileException e) {
        return -1;
      }
      own = true;
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
      if (own) {
        channel.close();
      }
    }
  }

  private FileChannel channel(int file) throws IOException {
    if (channels[file] == null) {
      Files.createDirectories(folder);
      channels[file] =
          FileChannel.open(
              path(file, generation),
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      if (file < 2) {
        channels[file].position(channels[file].size());
      }
    }
    return channels[file];
  }

  private Path path(int file, int gen) {
    return file(folder, execId, gen, file);
  }

  /** One of an exec's files: 0 stdout, 1 stderr, 2 the index. */
  static Path file(Path folder, String execId, int gen, int file) {
    return folder.resolve(execId + "." + gen + SUFFIXES[file]);
  }

  private void closeChannels() {
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

  private void deleteFiles() {
    closeChannels();
    for (int i = 0; i < SUFFIXES.length; i++) {
      try {
        Files.deleteIfExists(path(i, generation));
      } catch (IOException e) {
        // the sandbox's folder goes as a whole later
      }
    }
  }
}
