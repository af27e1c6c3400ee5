package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.metrics.SandboxMetrics;
import dev.sbx.controlplane.runtime.InterruptedExec;
import dev.sbx.controlplane.runtime.SandboxRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The event log of every sandbox, made on first use and freed when the sandbox is deleted, with the
 * folder where each keeps its execs' output.
 */
@Component
public class EventLogs implements DisposableBean {

  private static final Logger logger = LoggerFactory.getLogger(EventLogs.class);
  private static final Pattern SANDBOX_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private final Map<String, EventLog> logs = new ConcurrentHashMap<>();
  private final int capacity;
  private final long byteCapacity;
  private final long storeBudget;
  private final Path storeRoot;
  private final boolean temporary;
  private final boolean durable;
  private final SandboxMetrics metrics;

  public EventLogs(
      EventLogProperties properties,
      SandboxMetrics metrics,
      ExecRegistry registry,
      SandboxRuntime runtime) {
    this.capacity = properties.streamBuffer();
    this.byteCapacity = properties.streamBufferBytes().toBytes();
    this.storeBudget = properties.streamStoreBytes().toBytes();
    this.metrics = metrics;
    var configured = properties.storeDir();
    var runtimeDir = runtime.outputStoreDir();
    // Output outlives the control plane where the sandboxes do (the local runtime's state folder):
    // a restarted control plane takes it up again (restore). Elsewhere it goes with the process.
    this.durable = runtimeDir != null;
    this.temporary = configured == null && runtimeDir == null;
    try {
      if (configured != null) {
        // A folder of our own inside the one configured, and nothing else there is touched.
        storeRoot = configured.resolve("sbx-output");
        if (!durable) {
          OutputStore.deleteFolder(storeRoot); // what a previous run kept: nothing refers to it
        }
      } else if (runtimeDir != null) {
        storeRoot = runtimeDir;
      } else {
        storeRoot = Files.createTempDirectory("sbx-output-");
      }
      Files.createDirectories(storeRoot);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make the folder for exec output", e);
    }
    registry.whenForgotten(this::forget);
  }

  /**
   * Takes up what an earlier run of the control plane kept, when the store outlives it: every
   * finished exec of a sandbox that still exists is known again with its status, events and output.
   * The output of sandboxes gone meanwhile, and of execs neither summarized nor among {@code
   * interrupted} (which {@link #restoreInterrupted} takes up), is deleted.
   */
  void restore(ExecRegistry registry, Predicate<String> sandboxExists, Set<String> interrupted) {
    if (!durable) {
      return;
    }
    List<Path> folders;
    try (Stream<Path> entries = Files.list(storeRoot)) {
      folders = entries.toList();
    } catch (IOException e) {
      logger.warn("cannot read the exec output kept in {}: {}", storeRoot, e.toString());
      return;
    }
    int restored = 0;
    for (var folder : folders) {
      var sandboxId = folder.getFileName().toString();
      if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)
          || !SANDBOX_ID.matcher(sandboxId).matches()
          || !sandboxExists.test(sandboxId)) {
        OutputStore.deleteFolder(folder);
        continue;
      }
      restored += restoreSandbox(registry, sandboxId, folder, interrupted);
    }
    if (restored > 0) {
      logger.info("{} finished execs known again, with their output, from {}", restored, storeRoot);
    }
  }

  private int restoreSandbox(
      ExecRegistry registry, String sandboxId, Path folder, Set<String> interrupted) {
    var summaries = new ArrayList<ExecSummary>();
    var known = new HashSet<String>();
    List<Path> files;
    try (Stream<Path> entries = Files.list(folder)) {
      files = entries.toList();
    } catch (IOException e) {
      return 0;
    }
    for (var file : files) {
      var name = file.getFileName().toString();
      if (!name.endsWith(ExecSummary.SUFFIX)) {
        continue;
      }
      var execId = name.substring(0, name.length() - ExecSummary.SUFFIX.length());
      try {
        summaries.add(ExecSummary.read(file, sandboxId, execId));
        known.add(execId);
      } catch (IOException e) {
        logger.warn("skipping exec {} of sandbox {}: its summary is {}", execId, sandboxId, e);
      }
    }
    known.addAll(interrupted);
    for (var file : files) {
      var name = file.getFileName().toString();
      int dot = name.indexOf('.');
      if (!known.contains(dot < 0 ? name : name.substring(0, dot))) {
        OutputStore.deleteFolder(file);
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          // what is left goes with the sandbox's folder
        }
      }
    }
    summaries.sort(Comparator.comparing(ExecSummary::startedAt));
    var log = forSandbox(sandboxId);
    for (var summary : summaries) {
      var exit = summary.exit();
      log.store().restore(exit.execId(), summary.kept());
      log.restore(
          new ExecEvent.Start(sandboxId, exit.execId(), 1, summary.startedAt()),
          exit.seq() - 1,
          exit);
      registry.restore(sandboxId, exit.execId(), summary);
    }
    return summaries.size();
  }

  /**
   * Takes up the output an exec the last run did not see end had printed, when the store outlives
   * the control plane; returns the last seq of its events (0: none were kept), after which its end
   * is numbered.
   */
  long restoreInterrupted(InterruptedExec exec) {
    if (!durable) {
      return 0;
    }
    var log = forSandbox(exec.sandboxId());
    try {
      var kept = KeptOutput.ofFiles(log.store().folder(), exec.execId(), 1);
      if (kept == null) {
        return 0;
      }
      log.store().restore(exec.execId(), kept);
      log.restore(
          new ExecEvent.Start(exec.sandboxId(), exec.execId(), 1, exec.startedAt()),
          kept.lastSeq(),
          null);
      return kept.lastSeq();
    } catch (IOException | RuntimeException e) {
      logger.warn(
          "cannot take up the output of exec {} of sandbox {}: {}",
          exec.execId(),
          exec.sandboxId(),
          e.toString());
      return 0;
    }
  }

  /** The sandbox's log; callers make sure the sandbox exists. */
  public EventLog forSandbox(String sandboxId) {
    return logs.computeIfAbsent(
        sandboxId,
        id ->
            new EventLog(
                id,
                capacity,
                byteCapacity,
                metrics::eventsEvicted,
                new OutputStore(storeRoot.resolve(id), id, storeBudget, durable)));
  }

  /** Frees a deleted sandbox's log and tells its subscribers. */
  public void remove(String sandboxId) {
    var log = logs.remove(sandboxId);
    if (log != null) {
      log.close();
    }
  }

  /** An exec's status is no longer retained: neither is its output. */
  private void forget(String sandboxId, String execId) {
    var log = logs.get(sandboxId);
    if (log != null) {
      log.forget(execId);
    }
  }

  int size() {
    return logs.size();
  }

  @Override
  public void destroy() {
    if (temporary) {
      OutputStore.deleteFolder(storeRoot);
    }
  }
}
