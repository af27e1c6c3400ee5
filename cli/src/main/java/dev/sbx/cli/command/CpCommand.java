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
        "Copy a file into or out of a sandbox: sbx cp ./file ID:/workspace/file, sbx cp"
            + " ID:/workspace/out.txt . (relative sandbox paths start at /workspace).")
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
      throw new ParameterException(
          spec.commandLine(), file + " is a folder: sbx cp copies files for now");
    }
    long size = Files.size(file);
    String target =
        to.path().isEmpty() || to.path().endsWith("/") ? to.path() + name(file) : to.path();
    try (var in = Files.newInputStream(file)) {
      globals.client().upload(to.sandbox(), target, in, size, progress::moved);
    } catch (ApiException e) {
      if (e.problem() == null || !e.problem().type().endsWith(":is-a-directory")) {
        throw e;
      }
      // Copying into a folder, as cp does.
      try (var in = Files.newInputStream(file)) {
        globals.client().upload(to.sandbox(), target + "/" + name(file), in, size, progress::moved);
      }
    }
  }

  private void download(GlobalOptions globals, Side from, Path target, TransferProgress progress)
      throws IOException {
    String remoteName = from.path().substring(from.path().lastIndexOf('/') + 1);
    if (Files.isDirectory(target)) {
      target = target.resolve(remoteName);
    }
    // Written next to the target and moved into place, so that a failed copy leaves no part file.
    var parent = target.toAbsolutePath().getParent();
    var part = Files.createTempFile(parent, "." + target.getFileName() + ".", ".part");
    try {
      try (var out = Files.newOutputStream(part)) {
        globals.client().download(from.sandbox(), from.path(), out, progress::moved);
      }
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(part);
    }
  }

  private static String name(Path file) {
    return file.getFileName().toString();
  }
}
