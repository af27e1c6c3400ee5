package dev.sbx.controlplane.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a bad configuration as its one-line message instead of a stack trace. */
class InvalidConfigFailureAnalyzer extends AbstractFailureAnalyzer<InvalidConfigException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, InvalidConfigException cause) {
    return new FailureAnalysis(
        cause.getMessage(),
        "Fix the value named above (environment variables beat the SANDBOX_CONFIG file).",
        cause);
  }
}
