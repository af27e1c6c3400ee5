package dev.sbx.controlplane.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.controlplane.runtime.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the cgroup layer reads a machine's hierarchies and what it writes, on folders laid out as
 * cgroupfs lays them out: both v1 (this project's CI machines) and v2 (laptops), which one machine
 * cannot both have. LocalContainmentE2ETest shows the limits holding on the real thing.
 */
class CgroupTreeTest {

  private static final Resources LIMITS = new Resources(500L, 1L << 30, 64L, null);

  @TempDir Path fs;

  @Test
  void mountsShouldFindEachV1ControllerAndOurCgroupInIt() {
    var mounts =
        CgroupMounts.parse(
            List.of(
                "31 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:9 - cgroup cgroup"
                    + " rw,cpu,cpuacct",
                "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
                "38 30 0:35 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids",
                "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw"),
            List.of("8:pids:/", "4:memory:/process_api/abc", "2:cpu,cpuacct:/user.slice", "0::/"));
    assertThat(mounts.v1().get("memory").ownDir())
        .isEqualTo(Path.of("/sys/fs/cgroup/memory/process_api/abc"));
    assertThat(mounts.v1().get("pids").ownDir()).isEqualTo(Path.of("/sys/fs/cgroup/pids"));
    assertThat(mounts.v1().get("cpuacct").ownDir())
        .isEqualTo(Path.of("/sys/fs/cgroup/cpu,cpuacct/user.slice"));
    assertThat(mounts.v2().mountPoint()).isEqualTo(Path.of("/sys/fs/cgroup/unified"));
  }

  @Test
  void v1ShouldMakeASandboxCgroupPerHierarchyUnderOurOwnAndWriteItsLimits() throws IOException {
    var memory = Files.createDirectories(fs.resolve("memory/session"));
    var pids = Files.createDirectories(fs.resolve("pids"));
    var cpu = Files.createDirectories(fs.resolve("cpu,cpuacct"));
    for (var dir : List.of(memory, pids, cpu)) {
      Files.writeString(dir.resolve("cgroup.procs"), "");
    }
    var mounts =
        new CgroupMounts(
            Map.of(
                "memory", new CgroupMounts.Hierarchy(fs.resolve("memory"), "/session"),
                "pids", new CgroupMounts.Hierarchy(pids, "/"),
                "cpu", new CgroupMounts.Hierarchy(cpu, "/"),
                "cpuacct", new CgroupMounts.Hierarchy(cpu, "/")),
            null);
    var tree = CgroupTree.open(mounts, null, "sbx-test");
    assertThat(tree.unenforced()).isEmpty();
    assertThat(Files.readString(cpu.resolve("sbx-test/cpu.shares"))).isEqualTo("512");

    var cgroup = tree.create("sbx-a", LIMITS);
    assertThat(cgroup.procsFiles())
        .containsExactlyInAnyOrder(
            memory.resolve("sbx-test/sbx-a/cgroup.procs"),
            pids.resolve("sbx-test/sbx-a/cgroup.procs"),
            cpu.resolve("sbx-test/sbx-a/cgroup.procs"));
    var sandbox = memory.resolve("sbx-test/sbx-a");
    assertThat(Files.readString(sandbox.resolve("memory.limit_in_bytes"))).isEqualTo("1073741824");
    assertThat(Files.readString(pids.resolve("sbx-test/sbx-a/pids.max"))).isEqualTo("64");
    assertThat(Files.readString(cpu.resolve("sbx-test/sbx-a/cpu.cfs_quota_us"))).isEqualTo("50000");
    assertThat(Files.readString(cpu.resolve("sbx-test/sbx-a/cpu.cfs_period_us")))
        .isEqualTo("100000");

    Files.writeString(sandbox.resolve("memory.usage_in_bytes"), "4096\n");
    Files.writeString(pids.resolve("sbx-test/sbx-a/pids.current"), "3\n");
    Files.writeString(cpu.resolve("sbx-test/sbx-a/cpuacct.usage"), "1500000000\n");
    Files.writeString(
        sandbox.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
    var usage = cgroup.usage(10L);
    assertThat(usage.memoryBytes()).isEqualTo(4096);
    assertThat(usage.pids()).isEqualTo(3);
    assertThat(usage.cpuSeconds()).isEqualTo(1.5);
    assertThat(usage.diskBytes()).isEqualTo(10);
    assertThat(cgroup.oomKills()).isEqualTo(2);
  }

  @Test
  void v2ShouldMoveUsToALeafEnableTheControllersAndWriteTheLimits() throws IOException {
    var own = Files.createDirectories(fs.resolve("user.slice/app.scope"));
    Files.writeString(own.resolve("cgroup.procs"), "4242\n4343\n");
    Files.writeString(own.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
    Files.writeString(own.resolve("cgroup.subtree_control"), "\n");
    var tree =
        CgroupTree.open(
            new CgroupMounts(Map.of(), new CgroupMounts.Hierarchy(fs, "/user.slice/app.scope")),
            null,
            "sbx-test");
    assertThat(tree.v2()).isTrue();
    assertThat(tree.unenforced()).isEmpty();
    assertThat(Files.readString(own.resolve("sbx-control-plane/cgroup.procs"))).isEqualTo("4343");
    assertThat(Files.readString(own.resolve("cgroup.subtree_control")))
        .isEqualTo("+memory +pids +cpu");
    assertThat(Files.readString(own.resolve("sbx-test/cgroup.subtree_control")))
        .isEqualTo("+memory +pids +cpu");
    assertThat(Files.readString(own.resolve("sbx-test/cpu.weight"))).isEqualTo("50");

    var cgroup = tree.create("sbx-a", LIMITS);
    var dir = own.resolve("sbx-test/sbx-a");
    assertThat(cgroup.procsFiles()).containsExactly(dir.resolve("cgroup.procs"));
    assertThat(Files.readString(dir.resolve("memory.max"))).isEqualTo("1073741824");
    assertThat(Files.readString(dir.resolve("pids.max"))).isEqualTo("64");
    assertThat(Files.readString(dir.resolve("cpu.max"))).isEqualTo("50000 100000");
    Files.writeString(dir.resolve("memory.events"), "low 0\nhigh 0\nmax 9\noom 1\noom_kill 1\n");
    Files.writeString(dir.resolve("cpu.stat"), "usage_usec 250000\nuser_usec 200000\n");
    assertThat(cgroup.oomKills()).isEqualTo(1);
    assertThat(cgroup.usage(null).cpuSeconds()).isEqualTo(0.25);
  }

  @Test
  void openWithoutAnyHierarchyShouldNameEveryCgroupLimitAsUnenforced() {
    var tree = CgroupTree.open(new CgroupMounts(Map.of(), null), null, "sbx-test");
    assertThat(tree.bases()).isEmpty();
    assertThat(tree.unenforced()).containsOnlyKeys("cpu_limit", "mem_limit", "pids_limit");
  }

  @Test
  void openWithAConfiguredRootThatDoesNotExistShouldSaySo() throws IOException {
    var pids = Files.createDirectories(fs.resolve("pids"));
    var tree =
        CgroupTree.open(
            new CgroupMounts(Map.of("pids", new CgroupMounts.Hierarchy(pids, "/")), null),
            "/delegated",
            "sbx-test");
    assertThat(tree.unenforced().get("pids_limit"))
        .contains("SANDBOX_CGROUP_ROOT=/delegated")
        .contains("does not exist");
  }
}
