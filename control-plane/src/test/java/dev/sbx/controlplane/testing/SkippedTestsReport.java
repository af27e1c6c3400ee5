package dev.sbx.controlplane.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Collects the test classes and methods that were skipped, with the reason, into {@code
 * target/skipped-tests.txt}, which {@code make test} prints at the end: a run on a machine without
 * bubblewrap says what it did not run, and why.
 */
public final class SkippedTestsReport implements TestExecutionListener {

  private static final Path REPORT = Path.of("target", "skipped-tests.txt");

  private final List<String> skipped = new ArrayList<>();

  // No clearing of the file when a plan starts: the build runs two (the hosts-file tests have a
  // JVM of their own), and the second would wipe what the first found. dev/test.sh removes it
  // before the build.
  @Override
  public void testPlanExecutionStarted(TestPlan testPlan) {
    skipped.clear();
  }

  @Override
  public void executionSkipped(TestIdentifier test, String reason) {
    test.getSource()
        .ifPresent(
            source -> {
              if (source instanceof ClassSource type) {
                skipped.add(type.getClassName() + ": " + reason);
              } else if (source instanceof MethodSource method) {
                skipped.add(method.getClassName() + "." + method.getMethodName() + ": " + reason);
              }
            });
  }

  /** A test that skipped itself (an assumption) says why, as a disabled one does. */
  @Override
  public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
      executionSkipped(
          test, result.getThrowable().map(Throwable::getMessage).orElse("skipped itself"));
    }
  }

  @Override
  public void testPlanExecutionFinished(TestPlan testPlan) {
    if (skipped.isEmpty() || !Files.isDirectory(REPORT.getParent())) {
      return;
    }
    try {
      Files.write(
          REPORT,
          skipped,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
