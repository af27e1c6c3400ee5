package dev.sbx.cli.testing;

import dev.sbx.cli.Sbx;
import dev.sbx.cli.output.Terminal;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs sbx in-process, as a user would from a shell, and captures what it printed. */
public final class Cli {

  private Cli() {}

  /** Runs sbx against the fake, found through {@code SBX_ADDR} as a user's shell would set it. */
  public static Result sbx(FakeControlPlane plane, String... args) {
    return sbx(Map.of("SBX_ADDR", plane.url()), args);
  }

  public static Result sbx(Map<String, String> env, String... args) {
    return sbx(env, InputStream.nullInputStream(), Terminal.NONE, args);
  }

  /** Runs sbx against the fake as if {@code terminal} said which streams a person is reading. */
  public static Result sbx(FakeControlPlane plane, Terminal terminal, String... args) {
    return sbx(Map.of("SBX_ADDR", plane.url()), InputStream.nullInputStream(), terminal, args);
  }

  /** Runs sbx against the fake with {@code stdin} as its standard input. */
  public static Result sbxWithStdin(FakeControlPlane plane, InputStream stdin, String... args) {
    return sbx(Map.of("SBX_ADDR", plane.url()), stdin, Terminal.NONE, args);
  }

  /** Runs sbx with this environment and {@code stdin} as its standard input. */
  public static Result sbxWithStdin(Map<String, String> env, InputStream stdin, String... args) {
    return sbx(env, stdin, Terminal.NONE, args);
  }

  private static Result sbx(
      Map<String, String> env, InputStream stdin, Terminal terminal, String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    var both = new ByteArrayOutputStream();
    int exitCode =
        Sbx.run(
            args,
            new PrintStream(new Tee(out, both), true, StandardCharsets.UTF_8),
            new PrintStream(new Tee(err, both), true, StandardCharsets.UTF_8),
            stdin,
            env,
            terminal);
    return new Result(exitCode, text(out), text(err), text(both), out.toByteArray());
  }

  private static String text(ByteArrayOutputStream bytes) {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /**
   * What one run of sbx did.
   *
   * @param exitCode what the process would have exited with
   * @param out standard output
   * @param err standard error
   * @param interleaved both streams in the order they were written, as a terminal shows them
   * @param outBytes standard output as bytes, for output that is not text
   */
  public record Result(int exitCode, String out, String err, String interleaved, byte[] outBytes) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
    }
  }

  private static final class Tee extends OutputStream {
    private final ByteArrayOutputStream own;
    private final ByteArrayOutputStream shared;

    Tee(ByteArrayOutputStream own, ByteArrayOutputStream shared) {
      this.own = own;
      this.shared = shared;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      synchronized (shared) {
        own.write(bytes, offset, length);
        shared.write(bytes, offset, length);
      }
    }
  }
}
