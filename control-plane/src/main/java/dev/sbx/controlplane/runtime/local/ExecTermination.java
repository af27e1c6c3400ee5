package dev.sbx.controlplane.runtime.local;

import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ends an exec's processes: TERM, a grace period, then KILL until none is left. */
final class ExecTermination {

  private static final Logger logger = LoggerFactory.getLogger(ExecTermination.class);
  // A fork loop may start processes while we kill; each round finds and kills the new ones.
  private static final int KILL_ROUNDS = 20;
  private static final Duration KILL_WAIT = Duration.ofSeconds(2);
  private static final int START_LOOKS = 40;
  private static final Duration START_LOOK_INTERVAL = Duration.ofMillis(25);

  private ExecTermination() {}

  static void terminate(ProcessHandle namespaceInit, String execId, Duration grace) {
    var processes = ExecProcesses.find(namespaceInit, execId);
    // sbx-init reports a command started as soon as it forked it; until the fork execs the
    // command, its /proc environ is still sbx-init's, without the marker. A cancel right after an
    // async start then found nothing and the command ran on, so look again for a moment.
    for (int look = 0; processes.isEmpty() && look < START_LOOKS; look++) {
      try {
        Thread.sleep(START_LOOK_INTERVAL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      processes = ExecProcesses.find(namespaceInit, execId);
    }
    signal(processes, false);
    if (awaitExit(processes, grace)) {
      processes = ExecProcesses.find(namespaceInit, execId);
      if (processes.isEmpty()) {
        return;
      }
    }
    for (int round = 0; round < KILL_ROUNDS; round++) {
      processes = ExecProcesses.find(namespaceInit, execId);
      if (processes.isEmpty()) {
        return;
      }
      signal(processes, true);
      awaitExit(processes, KILL_WAIT);
    }
    logger.warn("exec {}: processes still running after {} rounds of KILL", execId, KILL_ROUNDS);
  }

  private static void signal(Set<Long> pids, boolean kill) {
    for (var pid : pids) {
      ProcessHandle.of(pid)
          .ifPresent(
              p -> {
                if (kill) {
                  p.destroyForcibly();
                } else {
                  p.destroy();
                }
              });
    }
  }

  /**
   * Waits until they all ended, at most the given time; true when they did. Polls: a process that
   * is not our child gives no event when it ends (the JDK polls too, from 300 ms on).
   */
  private static boolean awaitExit(Set<Long> pids, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = 5;
    while (pids.stream()
        .anyMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      pause = Math.min(pause * 2, 100);
    }
    return true;
  }
}
