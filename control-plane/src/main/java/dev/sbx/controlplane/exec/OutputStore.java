package dev.sbx.controlplane.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The output of one sandbox's execs on disk, within a budget: past it, the oldest output of
 * finished execs is dropped first, then the oldest of running ones. What is dropped is counted, so
 * a subscriber asking for it is told how many bytes are gone.
 */
final class OutputStore {

  private final Path folder;
  private final String sandboxId;
  private final long budget;
  private final boolean durable;
  private final Map<String, StoredOutput> execs = new LinkedHashMap<>(); // guarded by this
  private final AtomicLong kept = new AtomicLong();
  private long created; // guarded by this

  OutputStore(Path folder, String sandboxId, long budget) {
    this(folder, sandboxId, budget, false);
  }

  /**
   * @param durable whether the folder outlives the control plane, so that finished execs leave a
   *     summary for the next run ({@link ExecSummary})
   */
  OutputStore(Path folder, String sandboxId, long budget, boolean durable) {
    this.folder = folder;
    this.sandboxId = sandboxId;
    this.budget = budget;
    this.durable = durable;
  }

  boolean durable() {
    return durable;
  }

  /** The exec's stored output, made on first use. */
  synchronized StoredOutput forExec(String execId) {
    return execs.computeIfAbsent(execId, id -> new StoredOutput(folder, sandboxId, id, created++));
  }

  /** Takes up an exec's output an earlier run of the control plane kept in this folder. */
  void restore(String execId, KeptOutput kept) {
    StoredOutput output;
    synchronized (this) {
      output =
          execs.computeIfAbsent(execId, id -> new StoredOutput(folder, sandboxId, id, created++));
    }
    output.takeUp(kept);
    charge(kept.keptBytes());
  }

  Path folder() {
    return folder;
  }

  /** The exec's stored output, or null when it printed nothing or was forgotten. */
  synchronized @Nullable StoredOutput existing(String execId) {
    return execs.get(execId);
  }

  /** Counts what a write cost and drops the oldest output while the sandbox is over budget. */
  void charge(long bytes) {
    if (bytes > 0 && kept.addAndGet(bytes) > budget) {
      shrink();
    }
  }

  private void shrink() {
    // Each exec is dropped under its own lock only, never while the store's is held: writers hold
    // an exec's lock when they charge.
    for (var exec : oldestFirst()) {
      if (kept.get() <= budget) {
        return;
      }
      kept.addAndGet(-exec.drop());
    }
  }

  private synchronized ArrayList<StoredOutput> oldestFirst() {
    var order = new ArrayList<>(execs.values());
    order.sort(
        Comparator.comparing((StoredOutput e) -> !e.sealed())
            .thenComparingLong(StoredOutput::created));
    return order;
  }

  /** Deletes an exec's output; it is no longer retained. */
  void forget(String execId) {
    StoredOutput exec;
    synchronized (this) {
      exec = execs.remove(execId);
    }
    if (exec != null) {
      kept.addAndGet(-exec.delete());
    }
    try {
      Files.deleteIfExists(folder.resolve(execId + ExecSummary.SUFFIX));
    } catch (IOException e) {
      // the sandbox's folder goes as a whole later
    }
  }

  /** Deletes everything: the sandbox is gone. */
  void close() {
    ArrayList<StoredOutput> all;
    synchronized (this) {
      all = new ArrayList<>(execs.values());
      execs.clear();
    }
    all.forEach(StoredOutput::delete);
    kept.set(0);
    deleteFolder(folder);
  }

  long keptBytes() {
    return kept.get();
  }

  static void deleteFolder(Path folder) {
    if (!Files.isDirectory(folder)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      for (var path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // what is left is deleted with the store's folder at shutdown
    }
  }
}
