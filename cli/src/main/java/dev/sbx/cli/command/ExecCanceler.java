package dev.sbx.cli.command;

import dev.sbx.cli.client.ApiException;
import dev.sbx.cli.client.ControlPlaneClient;
import dev.sbx.cli.output.Printer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Cancels a streamed exec when sbx is interrupted (Ctrl-C), so that the command and everything it
 * started stop with it rather than run on unseen.
 */
final class ExecCanceler implements AutoCloseable {

  // The JVM exits as soon as the hook returns, so neither the cancel nor the wait for the last
  // output may hold it for long.
  private static final int CANCEL_TIMEOUT_MILLIS = 3_000;
  private static final long LAST_OUTPUT_MILLIS = 2_000;

  private final ControlPlaneClient client;
  private final String sandboxId;
  private final String execId;
  private final Printer err;
  private final CountDownLatch followed = new CountDownLatch(1);
  private final Thread hook;
  private volatile boolean finished;

  ExecCanceler(ControlPlaneClient client, String sandboxId, String execId, Printer err) {
    this.client = client;
    this.sandboxId = sandboxId;
    this.execId = execId;
    this.err = err;
    // An inner class, not a method reference: spinning a lambda class costs start-up time.
    this.hook =
        new Thread("sbx-cancel") {
          @Override
          public void run() {
            interrupted();
          }
        };
  }

  /** Cancels the exec on SIGINT or SIGTERM until {@link #close()}. */
  static ExecCanceler install(
      ControlPlaneClient client, String sandboxId, String execId, Printer err) {
    var canceler = new ExecCanceler(client, sandboxId, execId, err);
    Runtime.getRuntime().addShutdownHook(canceler.hook);
    return canceler;
  }

  /** Cancels the exec unless it has finished; true when the server stopped it. */
  boolean cancel() {
    if (finished) {
      return false;
    }
    try {
      client.cancelExec(sandboxId, execId, CANCEL_TIMEOUT_MILLIS);
      return true;
    } catch (ApiException e) {
      // 409: it ended by itself meanwhile, which is what was wanted.
      if (e.status() != 409) {
        couldNotCancel(e);
      }
    } catch (RuntimeException e) {
      couldNotCancel(e);
    }
    return false;
  }

  private void couldNotCancel(RuntimeException e) {
    err.line(
        "sbx: could not cancel exec "
            + execId
            + " ("
            + e.getMessage()
            + "); stop it with: sbx cancel -id "
            + sandboxId
            + " -exec-id "
            + execId);
  }

  // Also runs on a plain System.exit, which is why close() removes the hook first.
  private void interrupted() {
    if (cancel()) {
      // Let the stream print the last output and "command canceled" before the JVM halts.
      try {
        followed.await(LAST_OUTPUT_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The exec has finished or is no longer followed: nothing to cancel any more. */
  @Override
  public void close() {
    finished = true;
    followed.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Shutting down already: the hook is running, and the latch above releases it.
    }
  }
}
