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
    var cause = analysis.getCause();
    System.err.println(
        cause instanceof InvalidConfigException invalid
            ? invalid.oneLine()
            : "sbx control plane: " + analysis.getDescription().strip().replace('\n', ' '));
  }
}
