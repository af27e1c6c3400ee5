package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.runtime.ExecListener;
import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.OutputStreamKind;

/**
 * The runtime's listener for an exec whose output comes through ingest (sidecar mode): the runtime
 * only starts it, so all it can report is that the exec was lost; that ends it there.
 */
final class StartFailures implements ExecListener {

  private final ExecIngest ingest;
  private final String sandboxId;
  private final String execId;

  StartFailures(ExecIngest ingest, String sandboxId, String execId) {
    this.ingest = ingest;
    this.sandboxId = sandboxId;
    this.execId = execId;
  }

  @Override
  public void output(OutputStreamKind stream, byte[] data, int length) {}

  @Override
  public void finished(ExecOutcome outcome) {
    if (outcome.lost()) {
      ingest.end(sandboxId, execId, outcome, 0);
    }
  }
}
