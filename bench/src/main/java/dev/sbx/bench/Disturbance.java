package dev.sbx.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who else used the CPU while the suite ran: the machine has 2 cores and other builds may run
 * beside it, so the report says when the figures are likely disturbed, with the busiest other
 * processes as evidence. Every process is looked at once a second, so one that ends during the run
 * still counts with the CPU it had used when last seen.
 */
final class Disturbance implements AutoCloseable {

  private static final double TICKS_PER_SECOND = 100;

  /** A process as last seen: CPU ticks when first and last seen, and whether it is ours. */
  private static final class Seen {
    final long first;
    long last;
    final boolean ours;
    final String cmdline;

    Seen(long first, boolean ours, String cmdline) {
      this.first = first;
      this.last = first;
      this.ours = ours;
      this.cmdline = cmdline;
    }
  }

  private final long controlPlanePid;
  private final long self = ProcessHandle.current().pid();
  private final long startNanos = System.nanoTime();
  private final Map<Long, Seen> processes = new HashMap<>();
  private final Thread sampler;
  private volatile boolean running = true;

  Disturbance(long controlPlanePid) {
    this.controlPlanePid = controlPlanePid;
    sample(true);
    sampler = new Thread(this::run, "disturbance");
    sampler.setDaemon(true);
    sampler.start();
  }

  private void run() {
    while (running) {
      try {
        Thread.sleep(1_000);
      } catch (InterruptedException e) {
        return;
      }
      sample(false);
    }
  }

  private synchronized void sample(boolean atStart) {
    ProcStat.snapshot()
        .forEach(
            (pid, ticks) -> {
              var seen = processes.get(pid);
              if (seen == null) {
                // A process started meanwhile spent all its CPU time within the run.
                boolean ours = ours(pid);
                seen = new Seen(atStart ? ticks : 0, ours, ours ? "" : ProcStat.cmdline(pid));
                seen.last = ticks;
                processes.put(pid, seen);
              } else {
                seen.last = Math.max(seen.last, ticks);
              }
            });
  }

  /** The driver, the control plane, and what they started (sandboxes, jstat, hyperfine). */
  private boolean ours(long pid) {
    for (var p = ProcessHandle.of(pid); p.isPresent(); p = p.get().parent()) {
      long id = p.get().pid();
      if (id == self || id == controlPlanePid) {
        return true;
      }
    }
    return false;
  }

  synchronized Map<String, Object> finish() {
    sample(false);
    double wall = (System.nanoTime() - startNanos) / 1e9;
    var others = new ArrayList<Map.Entry<Seen, Long>>();
    double otherSeconds = 0;
    for (var entry : processes.entrySet()) {
      var seen = entry.getValue();
      long delta = seen.last - seen.first;
      if (!seen.ours && delta > 0) {
        otherSeconds += delta / TICKS_PER_SECOND;
        others.add(Map.entry(seen, delta));
      }
    }
    others.sort(Map.Entry.<Seen, Long>comparingByValue().reversed());
    var busiest = new ArrayList<String>();
    for (var entry : others.subList(0, Math.min(5, others.size()))) {
      var cmdline = entry.getKey().cmdline;
      busiest.add(
          String.format(
              "%.1f s cpu: %s",
              entry.getValue() / TICKS_PER_SECOND,
              cmdline.isEmpty()
                  ? "(a kernel thread)"
                  : cmdline.length() > 100 ? cmdline.substring(0, 100) + "..." : cmdline));
    }
    double otherCores = otherSeconds / wall;
    var map = new LinkedHashMap<String, Object>();
    map.put("wall_seconds", Figure.round(wall));
    map.put("other_processes_cpu_seconds", Figure.round(otherSeconds));
    map.put("other_processes_average_cores", Figure.round(otherCores));
    map.put("busiest_other_processes", busiest);
    map.put("load_average_at_end", Machine.read("/proc/loadavg").trim());
    map.put("disturbed", otherCores > 0.25);
    return map;
  }

  @Override
  public void close() {
    running = false;
    sampler.interrupt();
  }
}
