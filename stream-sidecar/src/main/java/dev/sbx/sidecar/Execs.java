package dev.sbx.sidecar;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The execs in the events folder that are not finished yet. New ones come from the folder's watch
 * at once, and from a full listing every {@link #SCAN_INTERVAL_NANOS} in case the watch missed one.
 */
final class Execs {

  private static final long SCAN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final EventsFolder folder;
  private final Map<String, ExecTail> byId = new TreeMap<>();
  private long nextScan = System.nanoTime();

  Execs(EventsFolder folder) {
    this.folder = folder;
  }

  Collection<ExecTail> all() {
    return byId.values();
  }

  /** When the next full listing is due, by {@link System#nanoTime()}. */
  long nextScan() {
    return nextScan;
  }

  /** Forgets what was sent and not acknowledged: a new connection sends it again. */
  void rewind() {
    byId.values().forEach(ExecTail::rewind);
  }

  /**
   * Picks up new execs, and on a listing drops those whose files someone else removed.
   *
   * @param busy whether an exec still waits for answers, which keeps it
   */
  void discover(Predicate<ExecTail> busy) {
    Collection<String> ids = folder.takeCreated();
    long now = System.nanoTime();
    if (folder.takeOverflow() || now - nextScan >= 0) {
      nextScan = now + SCAN_INTERVAL_NANOS;
      try {
        ids = folder.scan();
      } catch (IOException e) {
        Log.info("cannot list %s: %s", folder.dir(), e);
        return;
      }
      forgetVanished(ids, busy);
    }
    for (String id : ids) {
      if (!byId.containsKey(id) && folder.hasExec(id)) {
        byId.put(id, ExecTail.open(folder.dir(), id));
      }
    }
  }

  /** Deletes a finished exec's files; if that fails, the next listing tries again. */
  void finish(ExecTail exec) {
    try {
      ExecTail.deleteFiles(folder.dir(), exec.id());
      byId.remove(exec.id());
      Log.info("exec %s finished with exit code %d", exec.id(), exec.exitCode());
    } catch (IOException e) {
      exec.report("cannot delete its files, will try again: " + e);
    }
  }

  private void forgetVanished(Collection<String> present, Predicate<ExecTail> busy) {
    for (var exec : new ArrayList<>(byId.values())) {
      if (exec.finished()) {
        finish(exec);
      } else if (!present.contains(exec.id()) && !busy.test(exec)) {
        Log.info("exec %s: its files were removed by someone else; forgetting it", exec.id());
        byId.remove(exec.id());
      }
    }
  }
}
