package dev.sbx.controlplane.runtime.local;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** Runs a short host tool (mkfs, mount) and fails with what it said, a few lines at most. */
final class HostCommand {

  private static final int MAX_OUTPUT = 2000;

  private HostCommand() {}

  static void run(List<String> command) throws IOException {
    var process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
    process.getOutputStream().close();
    var output = process.getInputStream().readNBytes(MAX_OUTPUT);
    process.getInputStream().transferTo(OutputStream.nullOutputStream());
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(command.get(0) + " did not finish within 60 s");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command.get(0), e);
    }
    if (process.exitValue() != 0) {
      throw new IOException(
          String.join(" ", command)
              + " failed ("
              + process.exitValue()
              + "): "
              + new String(output, StandardCharsets.UTF_8).strip().replace('\n', ' '));
    }
  }

  /**
   * Where a system tool is: on the PATH, or in the sbin folders an ordinary user's PATH often
   * lacks; null when it is nowhere.
   */
  static @Nullable String locate(String program, @Nullable String path) {
    var found = Bubblewrap.onPath(program, path);
    return found != null ? found : Bubblewrap.onPath(program, "/usr/sbin:/sbin:/usr/bin:/bin");
  }
}
