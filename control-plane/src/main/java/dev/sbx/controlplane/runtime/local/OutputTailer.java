package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.runtime.ExecListener;
import dev.sbx.controlplane.runtime.OutputStreamKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jspecify.annotations.Nullable;

/**
 * Follows one output file of a running command and hands new bytes to the listener. Reads happen
 * under this object's lock, so chunks reach the listener in file order whichever thread pumps.
 */
final class OutputTailer {

  private static final int CHUNK = 64 * 1024;

  private final FileChannel channel;
  private final OutputStreamKind stream;
  private @Nullable ByteBuffer buffer;
  private boolean closed;

  private OutputTailer(FileChannel channel, OutputStreamKind stream) {
    this.channel = channel;
    this.stream = stream;
  }

  /**
   * Creates the file, which must not exist yet (not even as a symlink), and keeps it open: what is
   * read is what was written to this file, whatever becomes of its name.
   *
   * @param owner who the file must belong to, so that the command can write it; null for us
   */
  static OutputTailer create(Path file, OutputStreamKind stream, @Nullable HostUser owner)
      throws IOException {
    // READ alone would ignore CREATE_NEW; the descriptor is never written to.
    var channel =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);
    try {
      if (owner != null) {
        Files.setAttribute(file, "unix:uid", owner.uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(file, "unix:gid", owner.gid(), LinkOption.NOFOLLOW_LINKS);
      }
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    return new OutputTailer(channel, stream);
  }

  /**
   * Reads whatever the command has written since the last call, unless the listener asks to hold
   * its output.
   *
   * @return false when it stopped because of a hold, with output possibly left to read
   */
  synchronized boolean pump(ExecListener listener) {
    return read(listener, true);
  }

  /**
   * Reads the rest, honouring holds when {@code paced}.
   *
   * @return false when a hold stopped it; true once the file was read to its end and closed
   */
  synchronized boolean finish(ExecListener listener, boolean paced) {
    if (!read(listener, paced)) {
      return false;
    }
    close();
    return true;
  }

  private boolean read(ExecListener listener, boolean paced) {
    if (closed) {
      return true;
    }
    try {
      if (buffer == null) {
        if (channel.position() == channel.size()) {
          return true; // nothing written yet: no 64 KiB buffer for a command that prints nothing
        }
        buffer = ByteBuffer.allocate(CHUNK);
      }
      while (true) {
        if (paced && listener.holdOutput()) {
          return false;
        }
        int n = channel.read(buffer.clear());
        if (n <= 0) {
          return true;
        }
        listener.output(stream, buffer.array(), n);
      }
    } catch (IOException e) {
      closed = true; // the file went away with its sandbox
      return true;
    }
  }

  synchronized void close() {
    closed = true;
    try {
      channel.close();
    } catch (IOException e) {
      // nothing left to read
    }
  }
}
