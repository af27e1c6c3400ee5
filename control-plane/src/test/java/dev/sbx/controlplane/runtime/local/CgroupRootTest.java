package dev.sbx.controlplane.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sbx.controlplane.config.ConfigLoader;
import dev.sbx.controlplane.config.SandboxConfig;
import dev.sbx.controlplane.runtime.ExecListener;
import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.runtime.OutputStreamKind;
import dev.sbx.controlplane.runtime.Resources;
import dev.sbx.controlplane.testing.RequiresBubblewrap;
import dev.sbx.controlplane.testing.Specs;
import dev.sbx.controlplane.testing.StateDirs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SANDBOX_CGROUP_ROOT, on this machine's real cgroups: the sandboxes' cgroups go under the named
 * one, and their limits hold. As root the test makes that cgroup at the top of each hierarchy; as
 * an ordinary user, under the cgroup delegated to it (CI's dev/delegate-cgroup.sh).
 */
@RequiresBubblewrap
class CgroupRootTest {

  private final List<Path> made = new ArrayList<>();
  private LocalRuntime runtime;

  @AfterEach
  void cleanUp() throws IOException {
    if (runtime != null) {
      runtime.list().forEach(s -> runtime.delete(s.id()));
      runtime.close();
    }
    Collections.reverse(made);
    for (var dir : made) {
      Files.deleteIfExists(dir);
    }
  }

  @Test
  void sandboxesShouldGetTheirCgroupsUnderTheConfiguredRootAndItsLimitsShouldHold()
      throws Exception {
    var root = delegatedRoot();
    var config =
        ConfigLoader.load(
            Map.of(
                "SANDBOX_STATE_DIR",
                StateDirs.create("cgroup-root").toString(),
                "SANDBOX_CGROUP_ROOT",
                root));
    runtime = TestLocalRuntimes.open(config);
    assertThat(runtime.unenforcedLimits())
        .doesNotContainKeys("cpu_limit", "mem_limit", "pids_limit");
    runtime.create(Specs.named("sbx-rooted", new Resources(null, null, 16L, null)));
    var pids = CgroupMounts.read().v1().get("pids");
    var hierarchy = pids != null ? pids : CgroupMounts.read().v2();
    var instance = hierarchy.dir(root).resolve(LocalRuntimeFactory.instanceName(stateRoot(config)));
    assertThat(Files.readString(instance.resolve("sbx-rooted/pids.max")).trim()).isEqualTo("16");
    var stderr = new StringBuilder();
    var ended = new CompletableFuture<ExecOutcome>();
    runtime.exec(
        "sbx-rooted",
        new ExecSpec(
            "rooted",
            List.of("timeout", "3", "bash", "-c", "for i in $(seq 20); do sleep 60 & done"),
            Map.of(),
            "/",
            null),
        new ExecListener() {
          @Override
          public void output(OutputStreamKind stream, byte[] data, int length) {
            if (stream == OutputStreamKind.STDERR) {
              synchronized (stderr) {
                stderr.append(new String(data, 0, length, StandardCharsets.UTF_8));
              }
            }
          }

          @Override
          public void finished(ExecOutcome outcome) {
            ended.complete(outcome);
          }
        });
    ended.get(30, TimeUnit.SECONDS);
    synchronized (stderr) {
      assertThat(stderr).contains("Resource temporarily unavailable");
    }
  }

  /** A fresh cgroup, at one path relative to each hierarchy's root, that this user may use. */
  private String delegatedRoot() throws IOException {
    var mounts = CgroupMounts.read();
    var name = "sbx-root-test-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    var hierarchies =
        mounts.v1().isEmpty()
            ? (mounts.v2() == null ? List.<CgroupMounts.Hierarchy>of() : List.of(mounts.v2()))
            : List.copyOf(new LinkedHashSet<>(mounts.v1().values()));
    assumeTrue(!hierarchies.isEmpty(), "this machine mounts no cgroup hierarchy");
    boolean root = HostUser.current().isRoot();
    var owns = hierarchies.stream().map(CgroupMounts.Hierarchy::own).distinct().toList();
    assumeTrue(
        root || owns.size() == 1,
        "needs root, or one cgroup delegated to this user at the same path in every hierarchy"
            + " (dev/delegate-cgroup.sh); this process is in "
            + owns);
    var relative = (root ? "" : owns.get(0).replaceAll("/+$", "")) + "/" + name;
    for (var hierarchy : hierarchies) {
      var dir = hierarchy.dir(relative);
      assumeTrue(
          Files.isWritable(dir.getParent()),
          "this user may not make cgroups in " + dir.getParent());
      made.add(Files.createDirectory(dir));
    }
    if (mounts.v1().isEmpty() && root) {
      // v2: the controllers must be enabled for the named cgroup, as an administrator would.
      Files.writeString(hierarchies.get(0).mountPoint().resolve("cgroup.subtree_control"), "+pids");
    }
    return relative;
  }

  private static Path stateRoot(SandboxConfig config) {
    return config.stateDir().toAbsolutePath();
  }
}
