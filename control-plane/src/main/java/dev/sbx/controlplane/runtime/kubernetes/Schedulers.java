package dev.sbx.controlplane.runtime.kubernetes;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * The Kubernetes runtime's background threads, all daemons named for their job: none of them may
 * keep the JVM alive once Spring has closed the runtime, and a thread dump says what each one is.
 */
final class Schedulers {

  private Schedulers() {}

  /** One thread that runs the timed work of a single job (a sweep, a renewal, a wait). */
  static ScheduledExecutorService daemonScheduler(String name) {
    return Executors.newSingleThreadScheduledExecutor(daemons(name));
  }

  /** Threads made as needed, for blocking work such as reading a pod exec's socket. */
  static ExecutorService daemonThreads(String name) {
    return Executors.newCachedThreadPool(daemons(name));
  }

  /** At most size threads at once, for parallel work of bounded width. */
  static ExecutorService daemonThreads(String name, int size) {
    return Executors.newFixedThreadPool(size, daemons(name));
  }

  private static ThreadFactory daemons(String name) {
    return r -> {
      var t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
