package dev.sbx.controlplane.exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * What a finished exec leaves beside its output in the store ({@code <exec id>.exec}), so that a
 * control plane that restarts knows it again: its status for {@code GET .../execs/{id}}, its {@code
 * exit} event, and where its kept output starts and ends. Written once, when it ends, by this
 * process (never by a sandbox); read back bounded, and a file that does not parse is skipped.
 *
 * @param command what it ran
 * @param startedAt when it started
 * @param timeoutSeconds its timeout, if it had one
 * @param exit its exit event
 * @param kept where its stored output stands
 */
record ExecSummary(
    List<String> command,
    Instant startedAt,
    @Nullable Integer timeoutSeconds,
    ExecEvent.Exit exit,
    KeptOutput kept) {

  static final String SUFFIX = ".exec";
  private static final int MAX_BYTES = 1 << 20;
  private static final String SEPARATOR = "\u0000";

  /**
   * Saves a finished exec's summary beside its output, off the exec's path: a restarted control
   * plane then knows the exec again. A summary that could not be written only means that.
   */
  static void keepLater(OutputStore store, ExecView view, ExecEvent.Exit exit) {
    var output = store.forExec(exit.execId());
    CompletableFuture.runAsync(
        () -> {
          try {
            new ExecSummary(
                    view.command(), view.startedAt(), view.timeoutSeconds(), exit, output.kept())
                .write(store.folder());
          } catch (IOException | RuntimeException e) {
            // not known after a restart, which is all it costs
          }
        });
  }

  void write(Path folder) throws IOException {
    var properties = new Properties();
    properties.setProperty("command", String.join(SEPARATOR, command));
    properties.setProperty("started_at", startedAt.toString());
    if (timeoutSeconds != null) {
      properties.setProperty("timeout_seconds", timeoutSeconds.toString());
    }
    properties.setProperty("exit_seq", Long.toString(exit.seq()));
    properties.setProperty("exit_code", Integer.toString(exit.exitCode()));
    properties.setProperty("status", exit.status().name());
    if (exit.reason() != null) {
      properties.setProperty("reason", exit.reason());
    }
    if (exit.signal() != null) {
      properties.setProperty("signal", exit.signal());
    }
    properties.setProperty("finished_at", exit.time().toString());
    properties.setProperty("kept", kept.encode());
    var text = new StringWriter();
    properties.store(text, null);
    Files.createDirectories(folder);
    var file = folder.resolve(exit.execId() + SUFFIX);
    var temp = folder.resolve(exit.execId() + SUFFIX + ".tmp");
    Files.writeString(temp, text.toString(), StandardCharsets.ISO_8859_1);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Reads a summary back.
   *
   * @throws IOException when it cannot be read or does not make sense
   */
  static ExecSummary read(Path file, String sandboxId, String execId) throws IOException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    }
    if (bytes.length > MAX_BYTES) {
      throw new IOException("too large");
    }
    var properties = new Properties();
    properties.load(new StringReader(new String(bytes, StandardCharsets.ISO_8859_1)));
    try {
      var command = properties.getProperty("command", "");
      var timeout = properties.getProperty("timeout_seconds");
      var exit =
          new ExecEvent.Exit(
              sandboxId,
              execId,
              Long.parseLong(required(properties, "exit_seq")),
              Integer.parseInt(required(properties, "exit_code")),
              ExecStatus.valueOf(required(properties, "status")),
              properties.getProperty("reason"),
              properties.getProperty("signal"),
              Instant.parse(required(properties, "finished_at")));
      return new ExecSummary(
          command.isEmpty() ? List.of() : Arrays.asList(command.split(SEPARATOR, -1)),
          Instant.parse(required(properties, "started_at")),
          timeout == null ? null : Integer.valueOf(timeout),
          exit,
          KeptOutput.decode(required(properties, "kept")));
    } catch (RuntimeException e) {
      throw new IOException("unreadable: " + e.getMessage(), e);
    }
  }

  private static String required(Properties properties, String key) throws IOException {
    var value = properties.getProperty(key);
    if (value == null) {
      throw new IOException("no " + key);
    }
    return value;
  }
}
