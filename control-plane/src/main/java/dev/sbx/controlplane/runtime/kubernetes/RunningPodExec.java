package dev.sbx.controlplane.runtime.kubernetes;

import java.util.concurrent.CompletableFuture;

/** An exec {@link PodExecs} opened in a pod, on a terminal ({@link PodTerminal}) or not. */
interface RunningPodExec {

  /** Completes when the wrapper reported the start, exceptionally when it could not start. */
  CompletableFuture<Void> started();

  /** Completes once the exec has ended, however it ended. */
  CompletableFuture<Void> ended();

  /** Reports the exec as lost for this reason and stops following it. */
  void abandon(String reason);

  /** Takes the right to report the end; whoever fails to start the exec takes it first. */
  boolean claimFinish();
}
