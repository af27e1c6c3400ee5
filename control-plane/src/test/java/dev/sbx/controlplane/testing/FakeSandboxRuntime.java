package dev.sbx.controlplane.testing;

import dev.sbx.controlplane.runtime.ExecListener;
import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.runtime.InterruptedExec;
import dev.sbx.controlplane.runtime.LaunchType;
import dev.sbx.controlplane.runtime.MissingWorkingDirectoryException;
import dev.sbx.controlplane.runtime.OutputStreamKind;
import dev.sbx.controlplane.runtime.SandboxExistsException;
import dev.sbx.controlplane.runtime.SandboxInfo;
import dev.sbx.controlplane.runtime.SandboxNotFoundException;
import dev.sbx.controlplane.runtime.SandboxRuntime;
import dev.sbx.controlplane.runtime.SandboxSpec;
import dev.sbx.controlplane.runtime.UnsupportedOptionException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SandboxRuntime} in memory, for tests that need no bubblewrap: a sandbox is an entry in a
 * map, and an exec runs a small vocabulary on a thread of its own. It behaves as the local runtime
 * does for these commands, so that the same HTTP contract tests run against both:
 *
 * <ul>
 *   <li>{@code true}, {@code false}, {@code echo WORDS...}, {@code cat} (stdin to stdout), {@code
 *       sleep SECONDS};
 *   <li>{@code sh -c SCRIPT}, SCRIPT being statements separated by {@code ;}: those commands,
 *       {@code echo WORDS >&2}, and {@code exit N};
 *   <li>anything else exits 127 with "not found" on stderr.
 * </ul>
 *
 * <p>The working directory must be one of {@code /workspace}, {@code /tmp} or {@code /}.
 */
public final class FakeSandboxRuntime implements SandboxRuntime {

  private static final Set<String> DIRECTORIES = Set.of("/workspace", "/tmp", "/");

  private final Map<String, SandboxInfo> sandboxes = new ConcurrentSkipListMap<>();
  private final Map<String, Thread> running = new ConcurrentHashMap<>();

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public SandboxInfo create(SandboxSpec spec) {
    if (spec.image() != null) {
      throw new UnsupportedOptionException("image", name(), "fake sandboxes have no image");
    }
    if (spec.command() != null) {
      throw new UnsupportedOptionException("command", name(), "fake sandboxes have no command");
    }
    var info =
        new SandboxInfo(
            spec.id(),
            name(),
            "Running",
            true,
            Instant.now(),
            null,
            null,
            LaunchType.COLD,
            spec.resources(),
            Map.of(),
            null);
    if (sandboxes.putIfAbsent(spec.id(), info) != null) {
      throw new SandboxExistsException(spec.id());
    }
    return info;
  }

  @Override
  public Optional<SandboxInfo> find(String id) {
    return Optional.ofNullable(sandboxes.get(id));
  }

  @Override
  public List<SandboxInfo> list() {
    return List.copyOf(sandboxes.values());
  }

  @Override
  public boolean delete(String id) {
    if (sandboxes.remove(id) == null) {
      return false;
    }
    running.forEach(
        (key, thread) -> {
          if (key.startsWith(id + "/")) {
            thread.interrupt();
          }
        });
    return true;
  }

  @Override
  public void exec(String sandboxId, ExecSpec spec, ExecListener listener) {
    if (!sandboxes.containsKey(sandboxId)) {
      throw new SandboxNotFoundException(sandboxId);
    }
    if (!DIRECTORIES.contains(spec.cwd())) {
      throw new MissingWorkingDirectoryException(spec.cwd());
    }
    var key = sandboxId + "/" + spec.execId();
    var thread = new Thread(() -> run(key, spec, listener), "fake-exec-" + spec.execId());
    thread.setDaemon(true);
    running.put(key, thread);
    thread.start();
  }

  private void run(String key, ExecSpec spec, ExecListener listener) {
    var shell = new Shell(spec, listener);
    int exit;
    try {
      exit = shell.run(spec.command());
    } catch (InterruptedException e) {
      exit = 128 + 15; // what TERM gives a real process
    }
    running.remove(key);
    listener.finished(ExecOutcome.exited(exit));
  }

  @Override
  public void terminate(String sandboxId, String execId, Duration grace) {
    var thread = running.get(sandboxId + "/" + execId);
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public List<InterruptedExec> interruptedExecs() {
    return List.of();
  }

  /** The commands the fake understands, writing to the exec's listener. */
  private record Shell(ExecSpec spec, ExecListener listener) {

    int run(List<String> command) throws InterruptedException {
      if (command.size() == 3 && command.get(0).equals("sh") && command.get(1).equals("-c")) {
        int status = 0;
        for (var statement : command.get(2).split(";")) {
          var words = new ArrayList<>(List.of(statement.trim().split("\\s+")));
          if (words.get(0).equals("exit")) {
            return words.size() > 1 ? Integer.parseInt(words.get(1)) : status;
          }
          status = run(words);
        }
        return status;
      }
      var program = command.isEmpty() ? "" : command.get(0);
      var args = command.subList(Math.min(1, command.size()), command.size());
      return switch (program) {
        case "true" -> 0;
        case "false" -> 1;
        case "echo" -> echo(args);
        case "cat" -> {
          var stdin = spec.stdin();
          if (stdin != null) {
            listener.output(OutputStreamKind.STDOUT, stdin, stdin.length);
          }
          yield 0;
        }
        case "sleep" -> {
          Thread.sleep((long) (Double.parseDouble(args.get(0)) * 1000));
          yield 0;
        }
        default -> {
          write(OutputStreamKind.STDERR, "fake: " + program + ": not found\n");
          yield 127;
        }
      };
    }

    private int echo(List<String> args) {
      boolean toStderr = !args.isEmpty() && args.get(args.size() - 1).equals(">&2");
      var words = toStderr ? args.subList(0, args.size() - 1) : args;
      write(
          toStderr ? OutputStreamKind.STDERR : OutputStreamKind.STDOUT,
          String.join(" ", words) + "\n");
      return 0;
    }

    private void write(OutputStreamKind stream, String text) {
      var bytes = text.getBytes(StandardCharsets.UTF_8);
      listener.output(stream, bytes, bytes.length);
    }
  }
}
