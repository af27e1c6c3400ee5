package dev.sbx.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Whole commands: joining a sandbox with nsenter (the floor) and {@code sbx exec}. */
final class CommandBenchmarks {

  // As bin/sbx starts the CLI; keep the two alike.
  private static final List<String> SBX_JVM_OPTIONS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xshare:auto");

  private final URI base;
  private final Scale scale;
  private final Results results;
  private final CommandTimer timer;

  CommandBenchmarks(URI base, Scale scale, Results results, Path tmp) {
    this.base = base;
    this.scale = scale;
    this.results = results;
    this.timer = new CommandTimer(tmp);
  }

  /**
   * {@code raw_join_spawn_p50_ms}: {@code true} run by joining the sandbox's namespaces directly,
   * what a spawn costs at the least. Needs root: nsenter cannot join bwrap's nested user namespace
   * as an ordinary user.
   */
  Double rawJoin(Path sandboxFolder) throws IOException, InterruptedException {
    if (!"root".equals(System.getProperty("user.name"))) {
      results.value("raw_join_spawn_p50_ms", null);
      results.note(
          "raw_join_spawn_p50_ms",
          "not measured: nsenter cannot join a bwrap sandbox as an ordinary user (EPERM on"
              + " ns/ipc); run make bench as root for the floor and hot_exec_ratio.");
      return null;
    }
    long pid = SandboxProcesses.init(sandboxFolder);
    var command =
        List.of("nsenter", "-t", Long.toString(pid), "-a", "--preserve-credentials", "true");
    var timing = timer.time("raw-join", command, Map.of(), 20, scale.rawJoinRuns());
    results.figure(
        "raw_join_spawn_ms",
        Figure.of(
            timing.samples(),
            "ms",
            "nsenter -t <host pid of sbx-init> -a --preserve-credentials true, "
                + timing.method()));
    results.value("raw_join_spawn_p50_ms", timing.samples().median());
    var fromJvm = timer.fromJvm(command, Map.of(), 20, scale.rawJoinRuns());
    results.figure(
        "raw_join_spawn_from_jvm_ms",
        Figure.of(fromJvm.samples(), "ms", "the same nsenter, " + fromJvm.method()));
    return timing.samples().median();
  }

  /** {@code cli_exec_true_p50_ms}: {@code bin/sbx exec -id X -- true}, JVM start included. */
  void cliExec(Path repoRoot, String sandboxId) throws IOException, InterruptedException {
    var sbx = repoRoot.resolve("bin/sbx").toString();
    var command = List.of(sbx, "exec", "-id", sandboxId, "--", "true");
    var timing =
        timer.time("cli-exec", command, Map.of("SBX_ADDR", base.toString()), 3, scale.cliRuns());
    results.figure(
        "cli_exec_true_ms",
        Figure.of(
            timing.samples(),
            "ms",
            "bin/sbx exec -id X -- true end to end (JVM start, create exec, stream, exit), "
                + timing.method()));
    results.value("cli_exec_true_p50_ms", timing.samples().median());
    var hello = jvmHello(repoRoot);
    results.value("cli_exec_true_vs_jvm_hello_ratio", timing.samples().median() / hello);
  }

  /**
   * {@code jvm_hello_p50_ms}: a hello-world started with bin/sbx's java and JVM options, in the
   * same run as the CLI, so that the ratio of the two means the same on a faster or slower machine.
   */
  private double jvmHello(Path repoRoot) throws IOException, InterruptedException {
    var command = new ArrayList<String>();
    command.add(System.getenv().getOrDefault("JAVA", "java"));
    command.addAll(SBX_JVM_OPTIONS);
    command.addAll(
        List.of(
            "-cp",
            repoRoot.resolve("bench/target/sbx-bench.jar").toString(),
            JvmHello.class.getName()));
    var timing = timer.time("jvm-hello", command, Map.of(), 3, scale.cliRuns());
    results.figure(
        "jvm_hello_ms",
        Figure.of(
            timing.samples(),
            "ms",
            "a Java hello-world with bin/sbx's JVM options, the floor of any JVM command, "
                + timing.method()));
    results.value("jvm_hello_p50_ms", timing.samples().median());
    return timing.samples().median();
  }
}
