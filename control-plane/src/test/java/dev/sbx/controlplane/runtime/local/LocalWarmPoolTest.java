package dev.sbx.controlplane.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sbx.controlplane.config.ConfigLoader;
import dev.sbx.controlplane.config.SandboxConfig;
import dev.sbx.controlplane.runtime.ExecListener;
import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.LaunchType;
import dev.sbx.controlplane.runtime.NetworkMode;
import dev.sbx.controlplane.runtime.OutputStreamKind;
import dev.sbx.controlplane.runtime.SandboxInfo;
import dev.sbx.controlplane.runtime.SandboxSpec;
import dev.sbx.controlplane.testing.RequiresBubblewrap;
import dev.sbx.controlplane.testing.StateDirs;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The local warm pool (SANDBOX_WARM_POOL_SIZE): sandboxes started ahead, hidden until a create that
 * names no id and asks for nothing but the defaults takes one, and then like any other sandbox.
 */
@RequiresBubblewrap
class LocalWarmPoolTest {

  private Path stateDir;
  private SandboxConfig config;
  private LocalRuntime runtime;

  @AfterEach
  void close() throws Exception {
    if (runtime != null) {
      runtime.list().forEach(s -> runtime.delete(s.id()));
      runtime.close();
    }
  }

  @Test
  void createWhenASpareIsReadyShouldTakeItAndItShouldRunCommands() throws Exception {
    open(1);
    awaitSpares(1);
    assertThat(runtime.list()).isEmpty(); // a spare is nobody's yet
    var before = Instant.now().minusMillis(1);

    var created = runtime.create(spec("sbx-asked", false, NetworkMode.NONE));

    assertThat(created.launchType()).isEqualTo(LaunchType.WARM);
    assertThat(created.id()).matches("sbx-[0-9a-f]{12}").isNotEqualTo("sbx-asked");
    assertThat(created.createdAt()).isAfter(before);
    assertThat(runtime.list()).extracting(SandboxInfo::id).containsExactly(created.id());
    assertThat(run(created.id(), "sh", "-c", "echo hi > /workspace/f && cat /workspace/f"))
        .isEqualTo("hi\n");
    awaitSpares(1); // refilled
    var second = runtime.create(spec("sbx-asked-2", false, NetworkMode.NONE));
    assertThat(second.id()).isNotEqualTo(created.id());
    assertThat(run(second.id(), "sh", "-c", "ls /workspace")).isEmpty();
  }

  @Test
  void createThatNamesItsIdShouldStartColdWhileSparesWait() throws Exception {
    open(1);
    awaitSpares(1);

    var created = runtime.create(spec("sbx-named", true, NetworkMode.NONE));

    assertThat(created.launchType()).isEqualTo(LaunchType.COLD);
    assertThat(created.id()).isEqualTo("sbx-named");
    assertThat(runtime.sparesReady()).isEqualTo(1);
  }

  @Test
  void takenSpareShouldGetTheCreatesNetworkPolicy() throws Exception {
    open(1);
    awaitSpares(1);

    var created = runtime.create(spec("sbx-open", false, NetworkMode.OPEN));

    assertThat(created.launchType()).isEqualTo(LaunchType.WARM);
    assertThat(runtime.egressPolicy(created.id()).orElseThrow().mode()).isEqualTo(NetworkMode.OPEN);
  }

  @Test
  void closeShouldRemoveTheSparesNoCreateTook() throws Exception {
    open(2);
    awaitSpares(2);

    runtime.close();
    runtime = null;

    try (var left = Files.list(stateDir)) {
      assertThat(left.filter(p -> p.getFileName().toString().startsWith("sbx-"))).isEmpty();
    }
  }

  private void open(int spares) {
    stateDir = StateDirs.create("warm-pool");
    config =
        ConfigLoader.load(
            Map.of(
                "SANDBOX_STATE_DIR",
                stateDir.toString(),
                "SANDBOX_WARM_POOL_SIZE",
                String.valueOf(spares)));
    runtime = TestLocalRuntimes.open(config);
  }

  private void awaitSpares(int count) {
    await().atMost(Duration.ofSeconds(30)).until(() -> runtime.sparesReady() == count);
  }

  private SandboxSpec spec(String id, boolean named, NetworkMode network) {
    return new SandboxSpec(
        id,
        Map.copyOf(TestLocalRuntimes.defaults(config).env()),
        null,
        null,
        List.of(),
        List.of(),
        SandboxSpec.Storage.DEFAULT,
        named,
        network,
        TestLocalRuntimes.defaults(config).resources());
  }

  private String run(String sandboxId, String... command) throws Exception {
    var out = new ByteArrayOutputStream();
    var ended = new CompletableFuture<ExecOutcome>();
    runtime.exec(
        sandboxId,
        TestLocalRuntimes.execSpec(command),
        new ExecListener() {
          @Override
          public void output(OutputStreamKind stream, byte[] data, int length) {
            if (stream == OutputStreamKind.STDOUT) {
              synchronized (out) {
                out.write(data, 0, length);
              }
            }
          }

          @Override
          public void finished(ExecOutcome outcome) {
            ended.complete(outcome);
          }
        });
    assertThat(ended.get(30, TimeUnit.SECONDS)).isEqualTo(ExecOutcome.exited(0));
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8);
    }
  }
}
