package dev.sbx.controlplane.files;

import dev.sbx.controlplane.problem.InvalidRequestException;
import dev.sbx.controlplane.runtime.Escaped;
import dev.sbx.controlplane.runtime.HelperOutcome;
import dev.sbx.controlplane.runtime.SandboxRuntime;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * File operations on a sandbox, each a helper run inside it as its user (see {@link FileHelpers}),
 * and what their failures mean to a client.
 */
@Service
public class FileService {

  /** The longest path taken, in bytes, as PATH_MAX. */
  static final int MAX_PATH = 4096;

  /** The most a listing may take: a folder with more must be listed in parts. */
  static final int MAX_LISTING = 32 << 20;

  private static final int PIPE_BUFFER = 256 * 1024;
  private static final long CHECKER_JOIN_MILLIS = 10_000;

  private final SandboxRuntime runtime;

  FileService(SandboxRuntime runtime) {
    this.runtime = runtime;
  }

  /** What an upload made. */
  public record Written(String path, long size, String sha256, boolean created) {}

  /**
   * What a path leads to, before its bytes are read.
   *
   * @param identity device, inode and mtime, which the read checks again
   */
  public record Found(String path, long size, String identity) {}

  /**
   * Absolute paths stay as they are and relative ones start at /workspace; what they lead to is for
   * the sandbox to say.
   */
  public static String resolve(@Nullable String path) {
    if (path == null || path.isEmpty()) {
      throw new InvalidRequestException("path", "a path is needed");
    }
    if (path.indexOf('\0') >= 0) {
      throw new InvalidRequestException("path", "a path cannot hold a NUL character");
    }
    if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH) {
      throw new InvalidRequestException("path", "a path is at most " + MAX_PATH + " bytes");
    }
    return path.startsWith("/") ? path : "/workspace/" + path;
  }

  public static String mode(@Nullable String mode) {
    if (mode == null) {
      return "0644";
    }
    if (!mode.matches("0?[0-7]{3,4}")) {
      throw new InvalidRequestException("mode", "an octal mode such as 0644 is needed");
    }
    return mode;
  }

  /**
   * @param declared the body's length when the client said it (Content-Length), else -1
   */
  public Written write(
      String sandboxId,
      String path,
      String mode,
      boolean noClobber,
      InputStream body,
      long declared)
      throws IOException {
    var digest = new DigestingInput(body);
    var out = new Bounded(16);
    try {
      run(
          sandboxId,
          FileHelpers.put(path, mode, noClobber),
          new FramedInput(digest, declared),
          out,
          path);
    } catch (FileProblem e) {
      drain(body);
      throw e;
    }
    return new Written(path, digest.size(), digest.sha256(), !out.text().strip().equals("1"));
  }

  public Found find(String sandboxId, String path) throws IOException {
    var out = new Bounded(256);
    run(sandboxId, FileHelpers.stat(path), null, out, path);
    var fields = out.text().strip().split("\\|", -1);
    if (fields.length != 3
        || !fields[1].matches("[0-9]{1,19}")
        || !fields[2].matches("[0-9]{1,20}:[0-9]{1,20}:[0-9]{1,20}")) {
      throw failed(path, "the sandbox answered a file's size with something else");
    }
    return new Found(path, Long.parseLong(fields[1]), fields[2]);
  }

  /**
   * Streams {@code count} bytes of the file from {@code skip} on. The caller has sent its headers
   * by then, so a failure can only cut the body short, which the client sees against the length.
   */
  public void read(Found found, String sandboxId, long skip, long count, OutputStream out)
      throws IOException {
    var path = found.path();
    var counting = new CountingOutput(out);
    var outcome =
        runtime.pipe(
            sandboxId, FileHelpers.read(path, skip, count, found.identity()), null, counting);
    if (!outcome.succeeded() || counting.count() != count) {
      throw new IOException(
          logged(path)
              + " changed or could not be read while it was sent: "
              + counting.count()
              + " of "
              + count
              + " bytes");
    }
  }

  /** The raw listing, NUL-separated, of a folder or the one entry of a file. */
  public byte[] list(String sandboxId, String path, boolean recursive) throws IOException {
    var out = new Bounded(MAX_LISTING);
    run(sandboxId, FileHelpers.list(path, recursive), null, out, path);
    if (out.overflowed()) {
      throw new FileProblem(
          HttpStatus.UNPROCESSABLE_CONTENT,
          "listing-too-large",
          "Listing too large",
          "the listing of "
              + path
              + " is over "
              + MAX_LISTING
              + " bytes; list its folders one"
              + " at a time",
          path);
    }
    return out.bytes();
  }

  /** What an extracted archive held. */
  record Extracted(String path, long entries, long bytes) {}

  /**
   * Extracts a tar (gzip or not) under the folder, each entry checked by {@link ArchiveCheck} on
   * its way in: the check runs on a thread of its own, writing to a pipe the helper's input reads.
   */
  Extracted extract(String sandboxId, String folder, InputStream body) throws IOException {
    var check = new ArchiveCheck();
    var checkedIn = new PipedInputStream(PIPE_BUFFER);
    var checkedOut = new PipedOutputStream(checkedIn);
    var failure = new AtomicReference<IOException>();
    var checker =
        new Thread(
            () -> {
              try {
                check.copy(body, checkedOut);
              } catch (IOException e) {
                failure.set(e); // before the close below, which the reader sees after it
              } finally {
                try {
                  checkedOut.close();
                } catch (IOException e) {
                  // the reader is gone
                }
              }
            },
            "sbx-archive-check");
    checker.setDaemon(true);
    checker.start();
    var checked =
        new FilterInputStream(checkedIn) {
          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n < 0 && failure.get() != null) {
              throw failure.get();
            }
            return n;
          }
        };
    RuntimeException refused = null;
    try {
      run(sandboxId, FileHelpers.extract(folder), new FramedInput(checked), new Bounded(0), folder);
    } catch (IOException | FileProblem e) {
      refused = refusedOr(failure.get(), folder, e);
    } finally {
      checkedIn.close();
      try {
        checker.join(CHECKER_JOIN_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (refused == null && failure.get() != null) {
      refused = refusedOr(failure.get(), folder, failure.get());
    }
    if (refused != null) {
      if (refused instanceof FileProblem) {
        drain(body);
      }
      throw refused;
    }
    return new Extracted(folder, check.entries(), check.bytes());
  }

  private static RuntimeException refusedOr(
      @Nullable IOException failure, String folder, Exception otherwise) {
    if (failure instanceof ArchiveCheck.Refused refused) {
      var problem =
          new FileProblem(
              HttpStatus.BAD_REQUEST,
              "unsafe-archive",
              "Unsafe archive",
              "entry \""
                  + refused.entry
                  + "\" is "
                  + refused.getMessage()
                  + "; extraction under "
                  + folder
                  + " stopped there (entries before it may have been extracted)",
              folder);
      problem.getBody().setProperty("entry", refused.entry);
      return problem;
    }
    if (failure != null) {
      return new FileProblem(
          HttpStatus.BAD_REQUEST,
          "invalid-archive",
          "Invalid archive",
          "the body is not a tar archive (plain or gzip) that could be read to its end: "
              + failure.getMessage(),
          folder);
    }
    if (otherwise instanceof FileProblem problem) {
      return problem;
    }
    return new java.io.UncheckedIOException((IOException) otherwise);
  }

  /** Answers the folder's problem (not there, not a folder, not readable) before any byte. */
  void checkFolder(String sandboxId, String folder) throws IOException {
    run(sandboxId, FileHelpers.folder(folder), null, new Bounded(0), folder);
  }

  /**
   * Streams the folder as a tar, checked on its way out as uploads are on their way in: the sandbox
   * made it, so a client that extracts it must not find an entry that leaves its folder. The
   * headers are out by then: a tar that fails (a file it could not read, an entry refused) fails
   * the response, which the client sees as a transfer cut short, never as a whole archive.
   */
  void archive(String sandboxId, String folder, boolean gzip, OutputStream out) throws IOException {
    var rawIn = new PipedInputStream(PIPE_BUFFER);
    var rawOut = new PipedOutputStream(rawIn);
    var failure = new AtomicReference<IOException>();
    var target = gzip ? new GZIPOutputStream(out, PIPE_BUFFER) : out;
    var checker =
        new Thread(
            () -> {
              try (rawIn) {
                new ArchiveCheck().copy(rawIn, target);
                if (target instanceof GZIPOutputStream zipped) {
                  zipped.finish();
                }
              } catch (IOException e) {
                failure.set(e);
              }
            },
            "sbx-archive-check");
    checker.setDaemon(true);
    checker.start();
    HelperOutcome outcome;
    try (rawOut) {
      outcome = runtime.pipe(sandboxId, FileHelpers.archive(folder), null, rawOut);
    }
    try {
      checker.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while sending an archive", e);
    }
    if (!outcome.succeeded()) {
      // What tar said names files the sandbox made: escaped, as it goes to the log.
      var said = outcome.stderr().strip().getBytes(StandardCharsets.UTF_8);
      throw new IOException(
          "tar of " + logged(folder) + " failed: " + Escaped.of(said, 0, said.length));
    }
    if (failure.get() != null) {
      throw new IOException("the archive of " + logged(folder) + " was refused", failure.get());
    }
    out.flush();
  }

  void delete(String sandboxId, String path, boolean recursive) throws IOException {
    if (path.equals("/")) {
      throw new InvalidRequestException("path", "/ cannot be deleted");
    }
    run(sandboxId, FileHelpers.delete(path, recursive), null, new Bounded(0), path);
  }

  private HelperOutcome run(
      String sandboxId,
      List<String> command,
      @Nullable InputStream in,
      OutputStream out,
      String path)
      throws IOException {
    HelperOutcome outcome;
    try {
      outcome = runtime.pipe(sandboxId, command, in, out);
    } catch (UnsupportedOperationException e) {
      throw new FileProblem(
          HttpStatus.NOT_IMPLEMENTED,
          FileProblem.NOT_IMPLEMENTED,
          "Not implemented",
          e.getMessage(),
          path);
    }
    if (outcome.outcome().lost()) {
      throw failed(path, "the sandbox stopped during the operation");
    }
    if (outcome.outcome().exitCode() != 0 || outcome.stderr().contains("sbx:body-broke-off")) {
      throw problem(path, outcome.stderr());
    }
    return outcome;
  }

  /** What the helper's stderr says went wrong: our own markers first, then the C library's. */
  static FileProblem problem(String path, String stderr) {
    if (stderr.contains("sbx:not-found") || stderr.contains("No such file or directory")) {
      return FileProblem.notFound(path);
    }
    if (stderr.contains("sbx:is-a-directory") || stderr.contains("Is a directory")) {
      return new FileProblem(
          HttpStatus.CONFLICT,
          FileProblem.IS_A_DIRECTORY,
          "Is a directory",
          path + " is a directory",
          path);
    }
    if (stderr.contains("sbx:not-a-directory")
        || stderr.contains("Not a directory")
        || stderr.contains("File exists")) {
      return new FileProblem(
          HttpStatus.CONFLICT,
          FileProblem.NOT_A_DIRECTORY,
          "Not a directory",
          "a part of " + path + " is not a directory",
          path);
    }
    if (stderr.contains("sbx:exists")) {
      return new FileProblem(
          HttpStatus.PRECONDITION_FAILED,
          FileProblem.FILE_EXISTS,
          "File exists",
          path + " exists, and If-None-Match: * asked not to replace it",
          path);
    }
    if (stderr.contains("Directory not empty")) {
      return new FileProblem(
          HttpStatus.CONFLICT,
          FileProblem.DIRECTORY_NOT_EMPTY,
          "Directory not empty",
          path + " is a directory with files in it; delete it with recursive=true",
          path);
    }
    if (stderr.contains("No space left on device") || stderr.contains("Disk quota exceeded")) {
      return new FileProblem(
          HttpStatus.INSUFFICIENT_STORAGE,
          FileProblem.INSUFFICIENT_STORAGE,
          "Insufficient storage",
          "the sandbox's disk is full; nothing was written to " + path,
          path);
    }
    if (stderr.contains("Permission denied")
        || stderr.contains("Operation not permitted")
        || stderr.contains("Read-only file system")) {
      return new FileProblem(
          HttpStatus.FORBIDDEN,
          FileProblem.PERMISSION_DENIED,
          "Permission denied",
          "the sandbox's user may not do this to " + path,
          path);
    }
    return failed(path, "the sandbox could not do it");
  }

  /**
   * Reads the rest of a refused upload's body: a client still sending would otherwise meet a
   * connection closed with its data unread, a reset that can take the answer with it.
   */
  private static void drain(InputStream body) {
    try {
      body.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // the client went away: nobody is left to answer
    }
  }

  /** A path for a log line: the client chose it, so its control characters are escaped. */
  private static String logged(String path) {
    var bytes = path.getBytes(StandardCharsets.UTF_8);
    return Escaped.of(bytes, 0, bytes.length);
  }

  private static FileProblem failed(String path, String why) {
    return new FileProblem(
        HttpStatus.INTERNAL_SERVER_ERROR,
        FileProblem.TRANSFER_FAILED,
        "File operation failed",
        why + " (" + path + ")",
        path);
  }

  /** Keeps at most {@code limit} bytes of a helper's answer, and whether there were more. */
  static final class Bounded extends OutputStream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final int limit;
    private boolean overflowed;

    Bounded(int limit) {
      this.limit = limit;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      int room = limit - bytes.size();
      if (len > room) {
        overflowed = true;
      }
      bytes.write(b, off, Math.max(0, Math.min(len, room)));
    }

    boolean overflowed() {
      return overflowed;
    }

    byte[] bytes() {
      return bytes.toByteArray();
    }

    String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }
}
