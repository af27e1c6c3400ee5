package dev.sbx.controlplane.testing;

import dev.sbx.cli.Sbx;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the real sbx CLI in-process against a control plane. */
public final class Cli {

  private final String addr;

  public Cli(Api api) {
    this.addr = api.base();
  }

  /** What one run printed and its exit code. */
  public record Run(int exitCode, String out, String err, List<Chunk> chunks, byte[] outBytes) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
  }

  /** One write to stdout and when it happened. */
  public record Chunk(String text, long nanoTime) {}

  public Run run(String... args) {
    return runWithStdin(new byte[0], args);
  }

  /** Runs sbx with these bytes on its stdin. */
  public Run runWithStdin(byte[] stdin, String... args) {
    var out = new TimedOutput();
    var err = new ByteArrayOutputStream();
    int code =
        Sbx.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new ByteArrayInputStream(stdin),
            Map.of("SBX_ADDR", addr));
    return new Run(
        code, out.text(), err.toString(StandardCharsets.UTF_8), out.chunks(), out.bytes());
  }

  private static final class TimedOutput extends OutputStream {
    private final ByteArrayOutputStream all = new ByteArrayOutputStream();
    private final List<Chunk> chunks = new ArrayList<>();

    @Override
    public synchronized void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      all.write(b, off, len);
      chunks.add(new Chunk(new String(b, off, len, StandardCharsets.UTF_8), System.nanoTime()));
    }

    synchronized String text() {
      return all.toString(StandardCharsets.UTF_8);
    }

    synchronized byte[] bytes() {
      return all.toByteArray();
    }

    synchronized List<Chunk> chunks() {
      return List.copyOf(chunks);
    }
  }
}
