package dev.sbx.cli.command;

import dev.sbx.cli.ExitCodes;
import dev.sbx.cli.client.ControlPlaneUnreachableException;
import dev.sbx.cli.output.Printer;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sbx logs}: an exec's output, again, byte for byte, for as long as the control plane
 * retains the exec; {@code -f} follows it until it ends, like {@code kubectl logs -f}.
 */
@Command(
    name = "logs",
    description =
        "Print an exec's stdout (or -stderr) as it was written, from the start; -f follows it"
            + " until it ends. Control characters are escaped on a terminal unless -raw.")
public final class LogsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin SandboxIdOption sandbox;

  @Mixin ExecIdOption exec;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing new output until the exec ends.")
  boolean follow;

  @Option(
      names = {"-stderr", "--stderr"},
      description = "Print its stderr instead of its stdout.")
  boolean stderr;

  @Option(
      names = {"-raw", "--raw"},
      description = "Write control characters to a terminal unchanged.")
  boolean raw;

  @Override
  public Integer call() {
    var globals = GlobalOptions.of(spec);
    var client = globals.client();
    boolean terminal = stderr ? globals.terminal().stderr() : globals.terminal().stdout();
    Printer target = stderr ? globals.err() : globals.out();
    var out = terminal && !raw ? target.escapingControls() : target;
    var written = new long[1];
    var backoff = Backoff.system();
    while (true) {
      long from = written[0];
      try {
        client.output(
            sandbox.id,
            exec.id,
            stderr ? "stderr" : "stdout",
            from,
            follow,
            (chunk, length) -> {
              out.bytes(length == chunk.length ? chunk : Arrays.copyOf(chunk, length));
              written[0] += length;
            });
        return ExitCodes.OK;
      } catch (ControlPlaneUnreachableException e) {
        // A broken follow resumes where it stopped, so nothing is printed twice or lost.
        if (!follow || written[0] == from && !backoff.pause()) {
          throw e;
        }
        if (written[0] > from) {
          backoff.reset();
        }
      }
    }
  }
}
