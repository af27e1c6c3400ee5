package dev.sbx.controlplane.config;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;

/**
 * Reports why the control plane could not start as one line on stderr (Boot's own report, a boxed
 * page in the log, is switched off in application.yaml).
 */
class OneLineFailureReporter implements FailureAnalysisReporter {

  @Override
  public void report(FailureAnalysis analysis) {
    System.err.println(
        "sbx control plane: " + analysis.getDescription().strip().replace('\n', ' '));
  }
}
