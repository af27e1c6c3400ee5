package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.InterruptedExec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The execs of every sandbox, running and recently finished: what {@code GET .../execs} shows.
 * Finished ones are forgotten after {@code SANDBOX_EXEC_STATUS_RETENTION}; execs that were running
 * when the control plane last stopped are here as {@code lost}.
 */
@Component
public class ExecRegistry {

  static final String CONTROL_PLANE_RESTARTED = "control_plane_restarted";

  private final Map<String, SandboxExecs> bySandbox = new ConcurrentHashMap<>();
  private final int maxRunning;
  private final Duration retention;
  private final Clock clock;
  private volatile BiConsumer<String, String> forgotten = (sandboxId, execId) -> {};

  @Autowired
  public ExecRegistry(ExecProperties settings) {
    this(settings.execMaxRunning(), settings.execStatusRetention(), Clock.systemUTC());
  }

  ExecRegistry(int maxRunning, Duration retention, Clock clock) {
    this.maxRunning = maxRunning;
    this.retention = retention;
    this.clock = clock;
  }

  /**
   * Records execs that were running when the control plane last stopped, as lost: their events are
   * gone with the old process, and their end is all a subscriber can still get.
   */
  void recover(List<InterruptedExec> interrupted, EventLogs eventLogs) {
    // Over what was restored: the summary the last run wrote as it stopped says less than this.
    recover(interrupted, eventLogs, CONTROL_PLANE_RESTARTED, true);
  }

  /**
   * Records execs whose replica went away as lost, for {@code reason}; an exec known here already
   * (a sidecar announced it again) is left as it is.
   */
  void takeOver(List<InterruptedExec> orphaned, EventLogs eventLogs, String reason) {
    recover(orphaned, eventLogs, reason, false);
  }

  private void recover(
      List<InterruptedExec> interrupted, EventLogs eventLogs, String reason, boolean replace) {
    for (var exec : interrupted) {
      var record =
          new ExecRecord(exec.sandboxId(), exec.execId(), exec.command(), exec.startedAt(), null);
      var records = records(exec.sandboxId());
      synchronized (records) {
        if (replace) {
          records.all.put(exec.execId(), record);
        } else if (records.all.putIfAbsent(exec.execId(), record) != null) {
          continue;
        }
      }
      var run = new ExecRun(record, eventLogs.forSandbox(exec.sandboxId()), 0);
      // Its output so far, when the store kept it, is taken up: its end comes after it.
      run.resumeAfter(eventLogs.restoreInterrupted(exec));
      run.finished(ExecOutcome.lost(reason));
    }
  }

  /** Records a finished exec an earlier run of the control plane left a summary of. */
  void restore(String sandboxId, String execId, ExecSummary summary) {
    var record = ExecRecord.restored(sandboxId, execId, summary);
    var records = records(sandboxId);
    synchronized (records) {
      records.all.putIfAbsent(execId, record);
    }
  }

  /**
   * Records a new exec.
   *
   * @throws TooManyExecsException when the sandbox already runs as many execs as allowed
   */
  ExecRecord add(ExecRecord record) {
    var records = records(record.sandboxId());
    synchronized (records) {
      int running = records.running.size();
      if (running >= maxRunning) {
        throw new TooManyExecsException(record.sandboxId(), running);
      }
      records.all.put(record.execId(), record);
      records.running.add(record);
    }
    // A set kept as execs start and end: scanning every retained record under the lock made each
    // exec slower the more execs the sandbox had run. Removal takes no lock: the record completes
    // while it holds its own monitor, and sweep takes the two the other way round.
    record.done().thenRun(() -> records.running.remove(record));
    return record;
  }

  /**
   * Records an exec that a stream sidecar goes on with although this process never started it (it
   * restarted meanwhile): running, with its command unknown here and its start taken as now.
   */
  void adopt(String sandboxId, String execId, Instant since) {
    var records = records(sandboxId);
    ExecRecord record;
    synchronized (records) {
      if (records.all.containsKey(execId)) {
        return;
      }
      record = new ExecRecord(sandboxId, execId, List.of(), since, null);
      records.all.put(execId, record);
      records.running.add(record);
    }
    record.done().thenRun(() -> records.running.remove(record));
  }

  /** Forgets an exec that never started. */
  void discard(ExecRecord record) {
    var records = records(record.sandboxId());
    synchronized (records) {
      records.all.remove(record.execId());
      records.running.remove(record);
    }
  }

  Optional<ExecRecord> find(String sandboxId, String execId) {
    var records = bySandbox.get(sandboxId);
    if (records == null) {
      return Optional.empty();
    }
    synchronized (records) {
      return Optional.ofNullable(records.all.get(execId));
    }
  }

  /** The sandbox's execs, oldest first. */
  List<ExecRecord> list(String sandboxId) {
    var records = bySandbox.get(sandboxId);
    if (records == null) {
      return List.of();
    }
    synchronized (records) {
      return new ArrayList<>(records.all.values());
    }
  }

  /** How many execs run now, in every sandbox. */
  long running() {
    long count = 0;
    for (var records : bySandbox.values()) {
      synchronized (records) {
        count += records.running.size();
      }
    }
    return count;
  }

  public void removeSandbox(String sandboxId) {
    bySandbox.remove(sandboxId);
  }

  /** Tells the listener (sandbox id, exec id) about each exec the retention forgets. */
  void whenForgotten(BiConsumer<String, String> listener) {
    forgotten = listener;
  }

  /** Forgets finished execs older than the retention. */
  @Scheduled(initialDelay = 1, fixedDelay = 1, timeUnit = TimeUnit.MINUTES)
  void sweep() {
    var cutoff = clock.instant().minus(retention);
    var gone = new ArrayList<ExecRecord>();
    for (var records : bySandbox.values()) {
      synchronized (records) {
        records
            .all
            .values()
            .removeIf(
                r -> {
                  boolean old = r.finishedAt() != null && r.finishedAt().isBefore(cutoff);
                  if (old) {
                    gone.add(r);
                  }
                  return old;
                });
      }
    }
    gone.forEach(r -> forgotten.accept(r.sandboxId(), r.execId()));
  }

  private SandboxExecs records(String sandboxId) {
    return bySandbox.computeIfAbsent(sandboxId, id -> new SandboxExecs());
  }

  /** One sandbox's execs; guarded by its own monitor. */
  private static final class SandboxExecs {
    final Map<String, ExecRecord> all = new LinkedHashMap<>();
    final Set<ExecRecord> running = ConcurrentHashMap.newKeySet();
  }
}
