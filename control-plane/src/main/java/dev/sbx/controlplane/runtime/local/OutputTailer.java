package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.runtime.ExecListener;
import dev.sbx.controlplane.runtime.OutputStreamKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Follows one output file of a running command and hands new bytes to the listener. Reads happen
 * under this object's lock, so chunks reach the listener in file order whichever thread pumps.
 */
final class OutputTailer {

  private static final int CHUNK = 64 * 1024;

  private final Path file;
  private final OutputStreamKind stream;
  private FileChannel channel;
  private ByteBuffer buffer;
  private boolean closed;

  OutputTailer(Path file, OutputStreamKind stream) {
    this.file = file;
    this.stream = stream;
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
      if (channel == null) {
        try {
          channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
          return true; // sbx-init has not created it yet; the creation event brings us back
        }
      }
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

  private void close() {
    closed = true;
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // nothing left to read
      }
    }
  }
}
