package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.runtime.HelperOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A helper command whose stdin and stdout are named pipes in the exec folder instead of files, so
 * that a transfer streams both ways with the pipe's own back-pressure: a slow client holds the
 * helper, and nothing of the data waits on a disk or in the heap.
 *
 * <p>Opening a FIFO blocks until its other end is open, and sbx-init opens the command's ends in
 * the child it cloned, before it reports the start. So each pipe is first held open for reading and
 * writing here (which never blocks, and lets the child's open go through); once the start is
 * reported, the one end we use is opened and the keeper closed. The child's end is then the only
 * other one, and each side sees end of file or a broken pipe when the other goes.
 *
 * <p>The exec folder is the sandbox's to write: every name is opened without following links, and
 * stderr, which the sandbox could fill, is read up to {@link HelperOutcome#STDERR_LIMIT} bytes.
 */
final class PipedExec {

  private static final int BUFFER = 64 * 1024;
  private static final long PIPE_GRACE_SECONDS = 5;

  private final String execId;
  private final Path folder;
  private final boolean withStdin;
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private final CompletableFuture<ExecOutcome> finished = new CompletableFuture<>();
  private volatile boolean inputFailed;
  private @Nullable FileChannel inKeeper;
  private FileChannel outKeeper;

  private PipedExec(String execId, Path folder, boolean withStdin) {
    this.execId = execId;
    this.folder = folder;
    this.withStdin = withStdin;
  }

  /** Makes the request, the pipes and the stderr file, and holds the pipes open. */
  static PipedExec create(ExecSpec spec, Path folder, @Nullable HostUser owner, boolean withStdin)
      throws IOException {
    var exec = new PipedExec(spec.execId(), folder, withStdin);
    try {
      Files.write(
          exec.file(".req"),
          ExecRequestFile.encode(spec),
          StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
      if (withStdin) {
        exec.inKeeper = fifo(exec.file(".in"), owner);
      }
      exec.outKeeper = fifo(exec.file(".out"), owner);
      Files.write(
          exec.file(".err"), new byte[0], StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      own(exec.file(".err"), owner);
    } catch (IOException | RuntimeException e) {
      exec.close();
      throw e;
    }
    return exec;
  }

  /** Makes a FIFO for sbx-init to open and holds it open both ways, so neither open blocks. */
  static FileChannel fifo(Path file, @Nullable HostUser owner) throws IOException {
    HostCommand.run(List.of("mkfifo", "-m", "600", file.toString()));
    own(file, owner);
    var channel =
        FileChannel.open(
            file, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    if (!Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
        .isOther()) {
      channel.close();
      throw new IOException(file.getFileName() + " was replaced before it was opened");
    }
    return channel;
  }

  private static void own(Path file, @Nullable HostUser owner) throws IOException {
    if (owner != null) {
      Files.setAttribute(file, "unix:uid", owner.uid(), LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(file, "unix:gid", owner.gid(), LinkOption.NOFOLLOW_LINKS);
    }
  }

  String execId() {
    return execId;
  }

  boolean withStdin() {
    return withStdin;
  }

  CompletableFuture<Void> started() {
    return started;
  }

  void finish(ExecOutcome outcome) {
    started.completeExceptionally(new IOException("the helper ended before it started"));
    finished.complete(outcome);
  }

  CompletableFuture<ExecOutcome> finished() {
    return finished;
  }

  /**
   * Once started: copies {@code in} to the helper's stdin on a thread of its own, and its stdout to
   * {@code out} on this one, until both ends close.
   *
   * @throws IOException when {@code out} fails; the helper still runs then
   */
  void transfer(@Nullable InputStream in, OutputStream out, Runnable abort) throws IOException {
    var stdout = FileChannel.open(file(".out"), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    outKeeper.close();
    closeAfterEnd(stdout);
    Thread feeder = null;
    if (inKeeper != null) {
      var stdin =
          FileChannel.open(file(".in"), StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
      inKeeper.close();
      closeAfterEnd(stdin);
      feeder = new Thread(() -> feed(in, stdin, abort), "sbx-helper-stdin-" + execId);
      feeder.setDaemon(true);
      feeder.start();
    }
    try (stdout) {
      var buffer = ByteBuffer.allocate(BUFFER);
      while (read(stdout, buffer.clear()) >= 0) {
        try {
          out.write(buffer.array(), 0, buffer.position());
        } catch (IOException e) {
          abort.run();
          throw e;
        }
      }
    } finally {
      if (feeder != null) {
        try {
          feeder.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /**
   * Once the helper ended, its output is all in the pipe. A process of the sandbox that opened the
   * pipe too (the exec folder is the sandbox's) could keep it from ever ending, so after a grace
   * the pipe is closed here, and a read that this stops counts as the end.
   */
  private void closeAfterEnd(FileChannel pipe) {
    finished.thenRunAsync(
        () -> {
          try {
            pipe.close();
          } catch (IOException e) {
            // closed already
          }
        },
        CompletableFuture.delayedExecutor(PIPE_GRACE_SECONDS, TimeUnit.SECONDS));
  }

  private int read(FileChannel stdout, ByteBuffer buffer) throws IOException {
    try {
      return stdout.read(buffer);
    } catch (ClosedChannelException e) {
      if (finished.isDone()) {
        return -1;
      }
      throw e;
    }
  }

  /**
   * Copies the body into the helper; a helper that stops reading ends it (a broken pipe). A body
   * that breaks off ends the helper before its input does, so that it never takes a part for the
   * whole.
   */
  private void feed(@Nullable InputStream in, FileChannel stdin, Runnable abort) {
    try (stdin) {
      var buffer = new byte[BUFFER];
      int n;
      while (in != null && (n = readBody(in, buffer, abort)) >= 0) {
        if (!write(stdin, buffer, n)) {
          return; // the helper stopped reading: its status says why
        }
      }
    } catch (IOException e) {
      // closing a pipe whose reader is gone
    }
  }

  private int readBody(InputStream in, byte[] buffer, Runnable abort) {
    try {
      return in.read(buffer);
    } catch (IOException e) {
      inputFailed = true;
      abort.run();
      return -1;
    }
  }

  private static boolean write(FileChannel stdin, byte[] buffer, int n) {
    try {
      var chunk = ByteBuffer.wrap(buffer, 0, n);
      while (chunk.hasRemaining()) {
        stdin.write(chunk);
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether the body given as stdin broke off before its end. */
  boolean inputFailed() {
    return inputFailed;
  }

  /** The start of what the helper wrote on stderr. */
  String stderr() {
    try (var err =
            FileChannel.open(file(".err"), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        var stream = Channels.newInputStream(err)) {
      return new String(stream.readNBytes(HelperOutcome.STDERR_LIMIT), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** Closes what is still open and removes the files. */
  void close() {
    for (var keeper : new FileChannel[] {inKeeper, outKeeper}) {
      if (keeper != null) {
        try {
          keeper.close();
        } catch (IOException e) {
          // nothing to do
        }
      }
    }
    for (var suffix : List.of(".req", ".in", ".out", ".err")) {
      try {
        Files.deleteIfExists(file(suffix));
      } catch (IOException e) {
        // The folder is cleared when the sandbox starts again or is deleted.
      }
    }
  }

  private Path file(String suffix) {
    return folder.resolve(execId + suffix);
  }
}
