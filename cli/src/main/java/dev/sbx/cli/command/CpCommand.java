package dev.sbx.cli.command;

import dev.sbx.cli.ExitCodes;
import dev.sbx.cli.client.ApiException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sbx cp}: a file into or out of a sandbox, streamed, with the semantics of {@code kubectl
 * cp} and {@code docker cp}: {@code ID:PATH} names the sandbox's side, and a destination that is a
 * folder (or ends with /) gets the source's name.
 */
@Command(
    name = "cp",
    description =
        "Copy a file or a folder into or out of a sandbox: sbx cp ./file ID:/workspace/file,"
            + " sbx cp ./dir ID:/workspace/dir, sbx cp ID:/workspace/out.txt . (relative sandbox"
            + " paths start at /workspace; folders go as tar, with the local tar).")
public final class CpCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SRC")
  String source;

  @Parameters(index = "1", paramLabel = "DEST")
  String destination;

  /** One side of a copy: a sandbox's path, or a local one when {@code sandbox} is null. */
  private record Side(String sandbox, String path) {
    static Side of(String text) {
      int colon = text.indexOf(':');
      int slash = text.indexOf('/');
      if (colon > 0 && (slash < 0 || colon < slash)) {
        return new Side(text.substring(0, colon), text.substring(colon + 1));
      }
      return new Side(null, text);
    }
  }

  @Override
  public Integer call() throws IOException {
    var globals = GlobalOptions.of(spec);
    var from = Side.of(source);
    var to = Side.of(destination);
    if ((from.sandbox() == null) == (to.sandbox() == null)) {
      throw new ParameterException(
          spec.commandLine(), "one side must be a sandbox's (ID:PATH), the other a local path");
    }
    var progress =
        new TransferProgress(
            new ProgressLine(globals.err(), globals.terminal().stderr()), WaitClock.SYSTEM);
    try {
      if (to.sandbox() != null) {
        upload(globals, Path.of(from.path()), to, progress);
      } else {
        download(globals, from, Path.of(to.path()), progress);
      }
    } finally {
      progress.done();
    }
    return ExitCodes.OK;
  }

  private void upload(GlobalOptions globals, Path file, Side to, TransferProgress progress)
      throws IOException {
    if (Files.isDirectory(file)) {
      uploadFolder(globals, file, to, progress);
      return;
    }
    long size = Files.size(file);
    String target =
        to.path().isEmpty() || to.path().endsWith("/") ? to.path() + name(file) : to.path();
    try (var in = Files.newInputStream(file)) {
      globals.client().upload(to.sandbox(), target, in, size, progress::moved);
    } catch (ApiException e) {
      if (!isA(e, "is-a-directory")) {
        throw e;
      }
      // Copying into a folder, as cp does.
      try (var in = Files.newInputStream(file)) {
        globals.client().upload(to.sandbox(), target + "/" + name(file), in, size, progress::moved);
      }
    }
  }

  /**
   * A folder goes as a tar made by the local tar: into the sandbox's folder when that exists (as
   * {@code cp -r} and {@code docker cp} do), else as that folder.
   */
  private void uploadFolder(GlobalOptions globals, Path folder, Side to, TransferProgress progress)
      throws IOException {
    String target = to.path().isEmpty() ? "/workspace" : to.path();
    if (target.endsWith("/") || existsRemotely(globals, to.sandbox(), target)) {
      target = (target.endsWith("/") ? target : target + "/") + name(folder.toAbsolutePath());
    }
    var tar = new ProcessBuilder("tar", "-C", folder.toString(), "-cf", "-", ".");
    tar.redirectError(ProcessBuilder.Redirect.INHERIT);
    var process = start(tar);
    try (var in = process.getInputStream()) {
      globals.client().uploadArchive(to.sandbox(), target, in, progress::moved);
    } finally {
      process.destroy();
    }
    if (waitFor(process) != 0) {
      throw new IOException("tar could not read all of " + folder + "; the copy is incomplete");
    }
  }

  private static boolean existsRemotely(GlobalOptions globals, String sandbox, String path) {
    try {
      globals.client().listFiles(sandbox, path, false);
      return true;
    } catch (ApiException e) {
      if (e.status() == 404 && isA(e, "file-not-found")) {
        return false;
      }
      throw e;
    }
  }

  private void download(GlobalOptions globals, Side from, Path target, TransferProgress progress)
      throws IOException {
    String remoteName = from.path().substring(from.path().lastIndexOf('/') + 1);
    if (Files.isDirectory(target)) {
      target = target.resolve(remoteName.isEmpty() ? "workspace" : remoteName);
    }
    // Written next to the target and moved into place, so that a failed copy leaves no part file.
    var parent = target.toAbsolutePath().getParent();
    var part = Files.createTempFile(parent, "." + target.getFileName() + ".", ".part");
    try {
      try (var out = Files.newOutputStream(part)) {
        globals.client().download(from.sandbox(), from.path(), out, progress::moved);
      } catch (ApiException e) {
        if (!isA(e, "is-a-directory")) {
          throw e;
        }
        downloadFolder(globals, from, target, progress);
        return;
      }
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(part);
    }
  }

  /**
   * A folder comes as a tar, which the control plane has checked (no entry leaves its folder), and
   * the local tar extracts it into a new folder, never as the local user's owner or set-id bits.
   */
  private void downloadFolder(
      GlobalOptions globals, Side from, Path target, TransferProgress progress) throws IOException {
    Files.createDirectory(target);
    var tar =
        new ProcessBuilder(
            "tar",
            "-x",
            "--no-same-owner",
            "--no-same-permissions",
            "-C",
            target.toString(),
            "-f",
            "-");
    tar.redirectError(ProcessBuilder.Redirect.INHERIT);
    var process = start(tar);
    try (var out = process.getOutputStream()) {
      globals.client().downloadArchive(from.sandbox(), from.path(), out, progress::moved);
    } catch (IOException | RuntimeException e) {
      process.destroy();
      throw e;
    }
    if (waitFor(process) != 0) {
      throw new IOException("tar could not extract the folder into " + target);
    }
  }

  private static Process start(ProcessBuilder builder) throws IOException {
    try {
      return builder.start();
    } catch (IOException e) {
      throw new IOException("copying a folder needs tar on this machine: " + e.getMessage(), e);
    }
  }

  private static int waitFor(Process process) throws IOException {
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while tar ran", e);
    }
  }

  private static boolean isA(ApiException e, String slug) {
    return e.problem() != null && e.problem().type().endsWith(":" + slug);
  }

  private static String name(Path file) {
    return file.getFileName().toString();
  }
}
