package dev.sbx.controlplane.runtime.local;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts sandbox processes from one thread that lives as long as the control plane.
 *
 * <p>bwrap's {@code --die-with-parent} uses the kernel's parent-death signal, which fires when the
 * <em>thread</em> that forked the process ends, not the whole JVM. A request thread from a pool may
 * end at any time and would take its sandboxes with it.
 */
final class Launcher implements AutoCloseable {

  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            var t = new Thread(r, "sbx-launcher");
            t.setDaemon(true);
            return t;
          });

  Process start(ProcessBuilder builder) throws IOException {
    try {
      return thread.submit(builder::start).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting a sandbox", e);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
