package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.runtime.OutputStreamKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
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
  private final OutputFiles files;
  private boolean sealed; // the exec ended: no more writes
  private boolean deleted;
  private int generation; // file name suffix, new after each drop

  StoredOutput(Path folder, String sandboxId, String execId, long created) {
    this.files = new OutputFiles(folder, execId);
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
      var channel = files.writing(index, generation);
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
      var record = IndexRecord.of(event, gone ? -1 : byteLength).encode();
      var channel = files.writing(OutputFiles.INDEX, generation);
      long position = (seq - firstSeq) * IndexRecord.SIZE;
      while (record.hasRemaining()) {
        channel.write(record, position + record.position());
      }
      keptBytes += IndexRecord.SIZE;
      return IndexRecord.SIZE;
    } catch (IOException e) {
      throw new UncheckedIOException("could not keep output of exec " + execId, e);
    }
  }

  /** The exec ended: closes the files; reads open them as needed. */
  synchronized void seal() {
    sealed = true;
    files.close();
  }

  /** The first seq still kept, or 0 when nothing is kept. */
  synchronized long firstKeptSeq() {
    return firstSeq > 0 && !deleted ? firstSeq : 0;
  }

  synchronized long droppedBytes() {
    return droppedBytes;
  }

  /** Where the kept bytes of a stream start; earlier ones were dropped. */
  /** Bytes of the stream written so far, since the exec started. */
  synchronized long end(OutputStreamKind stream) {
    return ends[stream.ordinal()];
  }

  synchronized long base(OutputStreamKind stream) {
    return bases[stream.ordinal()];
  }

  synchronized boolean sealed() {
    return sealed;
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
    files.delete(generation);
    generation++;
    return freed;
  }

  /** Deletes everything for good: the exec is forgotten or its sandbox is gone. */
  synchronized long delete() {
    long freed = keptBytes;
    deleted = true;
    keptBytes = 0;
    files.delete(generation);
    return freed;
  }

  /**
   * Rebuilds a kept output event.
   *
   * @return null when it is not kept (any more)
   */
  ExecEvent.@Nullable Output event(long seq) {
    var chunk = chunk(seq);
    return chunk == null ? null : chunk.event(sandboxId, execId, seq);
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
      var record = ByteBuffer.allocate(IndexRecord.SIZE);
      if (read(OutputFiles.INDEX, gen, record, (seq - first) * IndexRecord.SIZE)
          < IndexRecord.SIZE) {
        return null;
      }
      var indexed = IndexRecord.decode(record);
      int length = indexed.length();
      int stream = indexed.stream().ordinal();
      var bytes = ByteBuffer.allocate(Math.max(0, length));
      if (length < 0 || read(stream, gen, bytes, indexed.offset() - basesNow[stream]) < length) {
        return null;
      }
      synchronized (this) {
        if (generation != gen || deleted) {
          return null; // dropped while read: what was read may be another generation's
        }
      }
      return new OutputChunk(
          indexed.stream(), indexed.offset(), bytes.array(), indexed.base64(), indexed.time());
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
    FileChannel open;
    synchronized (this) {
      open = gen == generation && !sealed ? files.open(file) : null;
    }
    return OutputFiles.read(open, files.path(file, gen), into, position);
  }
}
