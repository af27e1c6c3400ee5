package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.problem.InvalidRequestException;
import dev.sbx.controlplane.runtime.OutputStreamKind;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One exec's stream as raw bytes from an offset, for {@code GET .../output}: what is kept now, or,
 * when following, on until the exec ends, as {@code kubectl logs -f} does.
 */
final class RawOutput {

  private static final int CHUNK = 256 * 1024;

  /** A safety net only: every event of the exec wakes the follower. */
  private static final long WAKE_AT_LEAST_MILLIS = 1000;

  private final EventLog log;
  private final String execId;
  private final OutputStreamKind stream;
  private final ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
  private long offset;
  private int first; // bytes of the first read, taken before the response is committed

  private RawOutput(EventLog log, String execId, OutputStreamKind stream, long offset) {
    this.log = log;
    this.execId = execId;
    this.stream = stream;
    this.offset = offset;
  }

  /**
   * Checks the request and reads the first bytes, so that output dropped from that offset is a
   * problem response rather than a broken body.
   *
   * @throws OutputDroppedException when the bytes at that offset are no longer kept
   */
  static RawOutput open(EventLog log, String execId, String streamName, long offset) {
    var stream = streamNamed(streamName);
    checkOffset(offset);
    var output = new RawOutput(log, execId, stream, offset);
    output.first = output.read();
    return output;
  }

  static OutputStreamKind streamNamed(String name) {
    return switch (name) {
      case "stdout" -> OutputStreamKind.STDOUT;
      case "stderr" -> OutputStreamKind.STDERR;
      default -> throw new InvalidRequestException("stream", "must be stdout or stderr");
    };
  }

  static void checkOffset(long offset) {
    if (offset < 0) {
      throw new InvalidRequestException("offset", "must be a whole number from 0");
    }
  }

  /**
   * Where the last {@code bytes} of an exec's stream start, or where what is kept starts when that
   * is later: the offset to replay recent output from.
   */
  static long recentStart(EventLog log, String execId, OutputStreamKind stream, long bytes) {
    var store = log.store();
    var output = store == null ? null : store.existing(execId);
    if (output == null) {
      return 0;
    }
    return Math.max(output.base(stream), output.end(stream) - bytes);
  }

  /** Writes the bytes, following the exec until it ends when {@code follow}. */
  void copyTo(OutputStream out, boolean follow) throws IOException, InterruptedException {
    var woken = new Semaphore(0);
    Runnable wake = woken::release;
    if (follow) {
      log.follow(execId, wake);
    }
    try {
      int n = first;
      while (true) {
        if (n > 0) {
          out.write(buffer.array(), 0, n);
          offset += n;
        } else if (n < 0 || !follow) {
          out.flush();
          return;
        } else {
          out.flush();
          woken.tryAcquire(WAKE_AT_LEAST_MILLIS, TimeUnit.MILLISECONDS);
          woken.drainPermits();
        }
        n = read();
        if (n == 0 && !follow) {
          n = -1; // what exists now is all that was asked for
        }
      }
    } finally {
      log.unfollow(execId, wake);
    }
  }

  /**
   * Reads the stream's kept bytes from the offset.
   *
   * @return bytes read; 0 when none are there yet; -1 when the exec ended and none are left
   * @throws OutputDroppedException when bytes from that offset were dropped from the store
   */
  private int read() {
    boolean ended = log.ended(execId);
    var store = log.store();
    var output = store == null ? null : store.existing(execId);
    if (output == null) {
      return ended || store == null ? -1 : 0;
    }
    int n = output.read(stream, offset, buffer.clear());
    if (n < 0) {
      throw new OutputDroppedException(log.sandboxId(), execId, offset, output.base(stream));
    }
    return n == 0 && ended ? -1 : n;
  }
}
