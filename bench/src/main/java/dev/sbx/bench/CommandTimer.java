package dev.sbx.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Times a whole command, run without a shell: with hyperfine ({@code -N}, its JSON export gives
 * every run), or, where hyperfine is missing, by starting it from here, which adds the JVM's
 * process-spawn cost and is said so in the method.
 */
final class CommandTimer {

  /**
   * Runs.
   *
   * @param samples one per measured run, in ms
   * @param method how they were taken
   */
  record Timing(Samples samples, String method) {}

  private final Path tmp;

  CommandTimer(Path tmp) {
    this.tmp = tmp;
  }

  static boolean hyperfineAvailable() {
    try {
      return new ProcessBuilder("hyperfine", "--version").start().waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  Timing time(String name, List<String> command, Map<String, String> env, int warmup, int runs)
      throws IOException, InterruptedException {
    check(command, env);
    if (hyperfineAvailable()) {
      return hyperfine(name, command, env, warmup, runs);
    }
    var timing = fromJvm(command, env, warmup, runs);
    return new Timing(timing.samples(), timing.method() + " (hyperfine missing)");
  }

  /** Starts the command from this JVM each time, as a Java control plane would. */
  Timing fromJvm(List<String> command, Map<String, String> env, int warmup, int runs)
      throws IOException, InterruptedException {
    var samples = new Samples();
    for (int i = 0; i < warmup + runs; i++) {
      long start = System.nanoTime();
      runOnce(command, env);
      if (i >= warmup) {
        samples.addNanosAsMillis(System.nanoTime() - start);
      }
    }
    return new Timing(
        samples, "ProcessBuilder.start + waitFor from the JVM driver, " + warmup + " warm-up runs");
  }

  private Timing hyperfine(
      String name, List<String> command, Map<String, String> env, int warmup, int runs)
      throws IOException, InterruptedException {
    var export = tmp.resolve(name + ".hyperfine.json");
    var args =
        new ArrayList<>(
            List.of(
                "hyperfine",
                "-N",
                "--style",
                "basic",
                "--warmup",
                Integer.toString(warmup),
                "--runs",
                Integer.toString(runs),
                "--export-json",
                export.toString(),
                shellWords(command)));
    var builder = new ProcessBuilder(args).redirectErrorStream(true);
    builder.redirectOutput(tmp.resolve(name + ".hyperfine.txt").toFile());
    builder.environment().putAll(env);
    var process = builder.start();
    if (process.waitFor() != 0) {
      throw new IOException(
          "hyperfine failed: " + Files.readString(tmp.resolve(name + ".hyperfine.txt")));
    }
    var result = Json.parseObject(Files.readString(export));
    var first = (Map<?, ?>) ((List<?>) result.get("results")).get(0);
    var samples = new Samples();
    for (var seconds : (List<?>) first.get("times")) {
      samples.add(((Double) seconds) * 1000);
    }
    return new Timing(samples, "hyperfine -N (no shell), " + warmup + " warm-up runs");
  }

  /** Runs it once and fails unless it exits 0, so a broken command is never timed. */
  private static void check(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    var builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    var process = builder.start();
    var output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output.trim());
    }
  }

  private static void runOnce(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    var builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    if (builder.start().waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed");
    }
  }

  private static String shellWords(List<String> command) {
    var words = new ArrayList<String>();
    for (var word : command) {
      words.add(word.matches("[A-Za-z0-9_./:=@%+-]+") ? word : "'" + word.replace("'", "") + "'");
    }
    return String.join(" ", words);
  }
}
