package dev.sbx.controlplane.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sbx.controlplane.config.ConfigLoader;
import dev.sbx.controlplane.runtime.ExecListener;
import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.OutputStreamKind;
import dev.sbx.controlplane.runtime.SandboxSpec;
import dev.sbx.controlplane.testing.RequiresBubblewrap;
import dev.sbx.controlplane.testing.Specs;
import dev.sbx.controlplane.testing.StateDirs;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What the control plane does when the channel to a sandbox's init carries something else than the
 * protocol. A sandbox's commands cannot reach that channel (see LocalContainmentE2ETest), so the
 * init itself misbehaves here: the real sbx-init, preceded by a flood the first time it runs.
 */
@RequiresBubblewrap
class ProtocolViolationTest {

  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private LocalRuntime runtime;

  @BeforeEach
  void captureLog() {
    log.start();
    ((Logger) LoggerFactory.getLogger(SandboxInit.class)).addAppender(log);
  }

  @AfterEach
  void close() throws Exception {
    ((Logger) LoggerFactory.getLogger(SandboxInit.class)).detachAppender(log);
    if (runtime != null) {
      runtime.list().forEach(s -> runtime.delete(s.id()));
      runtime.close();
    }
  }

  @Test
  void whenInitFloodsAGigabyteWithoutNewlineShouldEndItsExecsLostAndRestartIt() throws Exception {
    assertViolationThenRecovery("head -c 1G /dev/zero | tr '\\0' a");
  }

  @Test
  void whenInitFloodsReportsNoRequestAskedForShouldEndItsExecsLostAndRestartIt() throws Exception {
    assertViolationThenRecovery("yes 'x 0123456789abcdef 0' | head -n 100000");
  }

  @Test
  void whenInitWritesGarbageLinesShouldEndItsExecsLostAndRestartIt() throws Exception {
    assertViolationThenRecovery("head -c 100M /dev/urandom | base64 | head -n 100000");
  }

  private void assertViolationThenRecovery(String flood) throws Exception {
    open(flood);
    runtime.create(spec("sbx-flood"));
    var first = exec("sbx-flood", "true");
    assertThat(first.get(30, TimeUnit.SECONDS))
        .isEqualTo(ExecOutcome.lost(ExecOutcome.PROTOCOL_VIOLATION));
    assertThat(violations).containsExactly("sbx-flood");
    var warnings = log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0))
        .contains("sbx-flood: protocol violation")
        .hasSizeLessThan(400)
        .doesNotContain("\n");
    // The next exec starts the init again; this time it behaves.
    var second = exec("sbx-flood", "true");
    assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(ExecOutcome.exited(0));
    assertThat(violations).hasSize(1);
  }

  private void open(String flood) {
    var script =
        new String(SandboxFiles.defaultInitScript(), StandardCharsets.UTF_8)
            .replace(
                "\necho ready\n",
                "\necho ready\nif [[ ! -e /workspace/.flooded ]]; then : >/workspace/.flooded;"
                    + " read -r; "
                    + flood
                    + "; sleep 60; fi\n");
    var config =
        ConfigLoader.load(Map.of("SANDBOX_STATE_DIR", StateDirs.create("violation").toString()));
    runtime = TestLocalRuntimes.open(config, script.getBytes(StandardCharsets.UTF_8));
    runtime.onProtocolViolation(violations::add);
  }

  // An exec and its listener as in LocalWarmPoolTest.run: each test keeps what it needs of the
  // output (the duplicates tool reports the pair).
  private CompletableFuture<ExecOutcome> exec(String sandboxId, String... command) {
    var ended = new CompletableFuture<ExecOutcome>();
    runtime.exec(
        sandboxId,
        TestLocalRuntimes.execSpec(command),
        new ExecListener() {
          @Override
          public void output(OutputStreamKind stream, byte[] data, int length) {}

          @Override
          public void finished(ExecOutcome outcome) {
            ended.complete(outcome);
          }
        });
    return ended;
  }

  private static SandboxSpec spec(String id) {
    return Specs.named(id);
  }
}
