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

  /** Reads whatever the command has written since the last call. */
  synchronized void pump(ExecListener listener) {
    if (closed) {
      return;
    }
    try {
      if (channel == null) {
        try {
          channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
          return; // sbx-init has not created it yet; the creation event brings us back
        }
        buffer = ByteBuffer.allocate(CHUNK);
      }
      int n;
      while ((n = channel.read(buffer.clear())) > 0) {
        listener.output(stream, buffer.array(), n);
      }
    } catch (IOException e) {
      closed = true; // the file went away with its sandbox
    }
  }

  /** Reads the rest and stops following the file. */
  synchronized void finish(ExecListener listener) {
    pump(listener);
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
