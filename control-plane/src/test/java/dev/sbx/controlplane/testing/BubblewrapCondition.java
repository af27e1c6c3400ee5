package dev.sbx.controlplane.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Enables {@link RequiresBubblewrap} tests where bwrap is on the PATH, or under CI. */
final class BubblewrapCondition implements ExecutionCondition {

  static final String MISSING =
      "needs bubblewrap, and bwrap is not on the PATH (apt-get install bubblewrap; Linux only)";

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if ("true".equals(System.getenv("CI")) || onPath()) {
      return ConditionEvaluationResult.enabled("bwrap is on the PATH, or this is CI");
    }
    return ConditionEvaluationResult.disabled(MISSING);
  }

  private static boolean onPath() {
    var path = Objects.requireNonNullElse(System.getenv("PATH"), "");
    return Arrays.stream(path.split(File.pathSeparator))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, "bwrap"))
        .anyMatch(Files::isExecutable);
  }
}
