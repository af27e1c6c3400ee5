package dev.sbx.controlplane.runtime.local;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Comes back for output that was held because its subscribers were behind: no file event will
 * announce it again (the command may have finished writing long ago). One thread for every sandbox;
 * each retry reads only until the hold applies again.
 */
final class OutputPacer {

  private static final long RETRY_MILLIS = 5;

  private static final ScheduledExecutorService RETRIES =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            var t = new Thread(r, "sbx-output-pacer");
            t.setDaemon(true);
            return t;
          });

  private OutputPacer() {}

  static void retrySoon(Runnable pump) {
    RETRIES.schedule(pump, RETRY_MILLIS, TimeUnit.MILLISECONDS);
  }
}
