package dev.sbx.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sbx.controlplane.testing.Api;
import dev.sbx.controlplane.testing.EventStream;
import dev.sbx.controlplane.testing.LocalControlPlaneTest;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Nothing a sandbox does can grow the control plane or stall other sandboxes: the real control
 * plane, real bwrap, code that misbehaves on purpose. CI runs it as root and as an ordinary user.
 */
@ExtendWith(OutputCaptureExtension.class)
class LocalContainmentE2ETest extends LocalControlPlaneTest {

  // Every descriptor of the sandbox's first process, and of the copy of it that started this
  // command and reports its end ($PPID), that it can open for writing gets 1 GB with no newline,
  // then 100k garbage lines; so do its own stdout and stderr.
  private static final String FLOOD =
      """
      opened=0
      for fd in /proc/1/fd/* /proc/1/task/*/fd/* /proc/$PPID/fd/* /proc/$PPID/task/*/fd/*; do
        if { exec 9>"$fd"; } 2>/dev/null; then
          opened=$((opened+1))
          head -c 1G /dev/zero | tr '\\0' a >&9
          yes 'x garbage 0' | head -n 100000 >&9
          exec 9>&-
        fi
      done
      echo "opened=$opened" >&2
      head -c 1G /dev/zero | tr '\\0' a
      yes 'x garbage 0' | head -n 100000
      yes 'x garbage 0' | head -n 100000 >&2
      """;

  @Test
  void whenASandboxFloodsItsInitAndItsOutputShouldStayBoundedAndOtherSandboxesAnswer(
      CapturedOutput output) throws Exception {
    var flooder = api.createSandbox();
    var other = api.createSandbox();
    api.bash(other, "true");
    long heapBefore = heapAfterGc();
    int logBefore = output.length();

    var slowest = new AtomicLong();
    var failure = new AtomicReference<String>();
    var probe =
        new Thread(
            () -> {
              var probeApi = new Api(port);
              while (!Thread.currentThread().isInterrupted()) {
                long started = System.nanoTime();
                var response = probeApi.bash(other, "true");
                slowest.accumulateAndGet(System.nanoTime() - started, Math::max);
                if (response.status() != 200 || !"completed".equals(response.text("status"))) {
                  failure.compareAndSet(null, response.toString());
                }
                try {
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    probe.start();
    Api.Response flood;
    try {
      flood =
          api.post(
              "/sandboxes/" + flooder + "/exec",
              Api.json(Map.of("command", List.of("bash", "-c", FLOOD), "timeout_seconds", 300)));
    } finally {
      probe.interrupt();
      probe.join();
    }

    assertThat(flood.status()).isEqualTo(200);
    assertThat(flood.text("stderr"))
        .as("no descriptor of the sandbox's init can be opened from inside")
        .contains("opened=0");
    assertThat(flood.text("status")).isEqualTo("completed");
    assertThat(flood.json().get("truncated").asBoolean()).isTrue();
    assertThat(failure.get()).as("the other sandbox's execs").isNull();
    assertThat(Duration.ofNanos(slowest.get())).isLessThan(Duration.ofSeconds(1));
    assertThat(heapAfterGc() - heapBefore).isLessThan(64L << 20);
    // The probe's own requests log an access line each, more the slower the machine: not counted.
    var logged =
        output
            .toString()
            .substring(logBefore)
            .lines()
            .filter(line -> !line.contains(" req_id="))
            .toList();
    assertThat(String.join("\n", logged)).hasSizeLessThan(64 * 1024);
    assertThat(logged).allSatisfy(line -> assertThat(line).hasSizeLessThan(1024));
    assertThat(api.bash(flooder, "echo still here").text("stdout")).isEqualTo("still here\n");
  }

  @Test
  void aSandboxShouldSeeNoHostPathUserOrVariableInItsFirstProcessOrItsEnvironment() {
    var id = api.createSandbox();
    var seen =
        api.bash(
            id,
            "tr '\\0' ' ' </proc/1/cmdline; echo; env; cat /proc/1/environ 2>&1;"
                + " ls -l /proc/1/fd/ 2>&1; ls -l /proc/self/fd/");
    var text = seen.text("stdout");
    // The native sbx-init when the build had a C compiler, otherwise the script under bash.
    assertThat(text).containsPattern("\\A(/run/sbx-init|/run/sbx-shell /run/sbx/init) \n");
    assertThat(text)
        .doesNotContain(STATE_DIR.toString())
        .doesNotContain(System.getProperty("user.home"))
        .doesNotContain("SANDBOX_")
        .doesNotContain("JAVA_HOME")
        .contains("Permission denied");
    var user = System.getProperty("user.name");
    if (!"root".equals(user)) {
      assertThat(text).doesNotContain(user);
    }
  }

  @Test
  void whenAnExecGoesOverTheMemoryLimitItShouldEndOomKilledAndTheSandboxStayUsable() {
    var id = sandbox("{\"mem_limit\":\"64Mi\"}");
    double killsBefore = metric("sandbox_oom_kills_total");
    long started = System.nanoTime();
    // tail keeps every byte of a line that never ends; ulimit -v caps it at 1 GB should the
    // cgroup fail, so that a regression fails this test rather than the machine.
    var hog = api.bash(id, "ulimit -v 1048576; tail /dev/zero");
    var took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(hog.text("status")).as(hog.body()).isEqualTo("failed");
    assertThat(hog.text("reason")).isEqualTo("oom_killed");
    assertThat(hog.json().get("exit_code").asInt()).isEqualTo(137);
    assertThat(took).isLessThan(Duration.ofSeconds(5));
    assertThat(metric("sandbox_oom_kills_total") - killsBefore).isEqualTo(1);
    assertThat(api.bash(id, "echo fine").text("stdout")).isEqualTo("fine\n");
    var usage = api.get("/sandboxes/" + id).json().get("usage");
    assertThat(usage.get("memory_bytes").asLong()).isBetween(1L, 64L << 20);
  }

  @Test
  void whenAnExecForkBombsItShouldGetEagainOthersShouldAnswerAndCancelShouldLeaveNothing()
      throws Exception {
    var id = sandbox("{\"pids_limit\":64}");
    var other = api.createSandbox();
    int idle = pids(id);
    // ulimit -u caps the bomb at 1000 processes should the pids cgroup fail.
    var bomb =
        api.post(
            "/sandboxes/" + id + "/exec",
            Api.json(
                Map.of(
                    "command",
                    List.of("bash", "-c", "ulimit -u 1000; b() { b & b; }; b"),
                    "async",
                    true)));
    var execId = bomb.text("exec_id");
    long slowest = 0;
    int peak = 0;
    long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (System.nanoTime() < until) {
      long started = System.nanoTime();
      assertThat(api.get("/healthz").status()).isEqualTo(200);
      assertThat(api.bash(other, "true").text("status")).isEqualTo("completed");
      slowest = Math.max(slowest, System.nanoTime() - started);
      var pids = pids(id);
      assertThat(pids).isLessThanOrEqualTo(64);
      peak = Math.max(peak, pids);
    }
    assertThat(peak).as("the bomb filled its limit").isGreaterThanOrEqualTo(32);
    assertThat(Duration.ofNanos(slowest)).isLessThan(Duration.ofSeconds(1));
    var canceled = api.post("/sandboxes/" + id + "/execs/" + execId + "/cancel", "");
    assertThat(canceled.text("status")).as(canceled.body()).isEqualTo("canceled");
    // What is left is what the sandbox had before the bomb: sbx-init, and bwrap outside it.
    await().atMost(Duration.ofSeconds(10)).until(() -> pids(id) == idle);
    var events = EventStream.open(api, "/sandboxes/" + id + "/stream?exec_id=" + execId);
    events.awaitClose(Duration.ofSeconds(10));
    assertThat(new String(events.output(execId, "stderr"), StandardCharsets.UTF_8))
        .as("fork failed with EAGAIN")
        .contains("Resource temporarily unavailable");
    assertThat(api.bash(id, "echo alive").text("stdout")).isEqualTo("alive\n");
  }

  @Test
  void whenAnExecSpinsOnEveryCoreItShouldGetNoMoreThanItsCpuLimit() {
    var id = sandbox("{\"cpu_limit\":\"500m\"}");
    double before = cpuSeconds(id);
    long started = System.nanoTime();
    api.bash(id, "for i in 1 2; do timeout 3 sh -c 'while :; do :; done' & done; wait");
    double wall = (System.nanoTime() - started) / 1e9;
    double used = cpuSeconds(id) - before;
    assertThat(used).as("it ran at all").isGreaterThan(0.2);
    assertThat(used).as("CPU seconds in %.1f s", wall).isLessThanOrEqualTo(0.5 * wall * 1.2 + 0.2);
  }

  @Test
  void whenAnExecFillsTheDiskItShouldGetEnospcAndRmShouldFreeTheSpace() throws Exception {
    var created = api.post("/sandboxes", "{\"resources\":{\"disk_limit\":\"64Mi\"}}");
    var id = created.text("id");
    var unenforced = created.json().get("resources").get("unenforced");
    if (!"root".equals(System.getProperty("user.name"))) {
      // Said, never silent: the README explains why an ordinary user cannot have it.
      assertThat(unenforced.get("disk_limit").asString()).contains("ordinary user");
      assumeTrue(false, "the disk limit needs root (it mounts a file system image per sandbox)");
    }
    assumeTrue(
        Files.exists(Path.of("/dev/loop-control")),
        "this machine has no loop devices to mount a sandbox's disk image on");
    assertThat(unenforced == null || !unenforced.has("disk_limit")).as("%s", unenforced).isTrue();
    for (var dir : List.of("/workspace", "/home/sandbox", "/tmp", "/cache")) {
      // The disk is full until rm: the report waits for it, since its output lives there too.
      var fill =
          api.bash(
              id,
              "err=$(head -c 100M /dev/zero 2>&1 >"
                  + dir
                  + "/fill); rc=$?; size=$(stat -c %s "
                  + dir
                  + "/fill); rm "
                  + dir
                  + "/fill; echo \"rc=$rc size=$size $err\"");
      var report = fill.text("stdout");
      assertThat(report).as(dir).startsWith("rc=1 ").contains("No space left on device");
      long size = Long.parseLong(report.split(" ")[1].substring("size=".length()));
      assertThat(size).as(dir).isBetween(32L << 20, 64L << 20);
      var again = api.bash(id, "head -c 16M /dev/zero >" + dir + "/again && rm " + dir + "/again");
      assertThat(again.json().get("exit_code").asInt()).as("space freed in " + dir).isZero();
    }
    // An exec's output lives on the sandbox's disk too.
    var loud = api.bash(id, "head -c 100M /dev/zero");
    assertThat(loud.json().get("exit_code").asInt()).isEqualTo(1);
    assertThat(api.bash(id, "head -c 16M /dev/zero >/workspace/f && echo ok").text("stdout"))
        .isEqualTo("ok\n");
    var used = api.get("/sandboxes/" + id).json().get("usage").get("disk_bytes").asLong();
    assertThat(used).isBetween(16L << 20, 40L << 20);
    // Deleting it unmounts its disk and removes it, even after an exec that could not start.
    var disk = Files.readSymbolicLink(STATE_DIR.resolve(id).resolve("fs")).getFileName().toString();
    assertThat(exec(id, "{\"command\":[\"true\"],\"cwd\":\"/nowhere\"}").status()).isEqualTo(400);
    assertThat(openFilesUnder(disk))
        .as("files the control plane still holds on the disk")
        .isEmpty();
    assertThat(api.delete("/sandboxes/" + id).status()).isEqualTo(200);
    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(disk);
    assertThat(STATE_DIR.resolve(".disks").resolve(disk + ".img")).doesNotExist();
  }

  /** This JVM's open files on a sandbox's disk. */
  private static List<String> openFilesUnder(String disk) throws Exception {
    var open = new ArrayList<String>();
    try (var fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
      for (var fd : fds) {
        try {
          var target = Files.readSymbolicLink(fd).toString();
          if (target.contains("/.disks/" + disk + "/")) {
            open.add(target);
          }
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    }
    return open;
  }

  private Api.Response exec(String id, String body) {
    return api.post("/sandboxes/" + id + "/exec", body);
  }

  @Test
  void asRootEachSandboxShouldRunAsAHostUidOfItsOwn() throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "as an ordinary user every sandbox runs as that user: an unprivileged user namespace maps"
            + " one uid only");
    var first = api.createSandbox();
    var second = api.createSandbox();
    long firstUid = hostUid(first);
    long secondUid = hostUid(second);
    assertThat(firstUid).isNotEqualTo(secondUid);
    for (long uid : new long[] {firstUid, secondUid}) {
      assertThat(uid).isBetween(2130706432L, 2130771967L);
    }
  }

  /** The host owner of a file the sandbox makes: the host uid it runs as. */
  private long hostUid(String id) throws Exception {
    api.bash(id, "touch /workspace/mine");
    return ((Integer)
            Files.getAttribute(STATE_DIR.resolve(id).resolve("fs/workspace/mine"), "unix:uid"))
        .longValue();
  }

  private String sandbox(String resources) {
    var created = api.post("/sandboxes", "{\"resources\":" + resources + "}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    var unenforced = created.json().get("resources").get("unenforced");
    for (var limit : List.of("cpu_limit", "mem_limit", "pids_limit")) {
      assertThat(unenforced == null || !unenforced.has(limit))
          .as("%s enforced: %s", limit, unenforced)
          .isTrue();
    }
    return created.text("id");
  }

  private int pids(String id) {
    return api.get("/sandboxes/" + id).json().get("usage").get("pids").asInt();
  }

  private double cpuSeconds(String id) {
    return api.get("/sandboxes/" + id).json().get("usage").get("cpu_seconds").asDouble();
  }

  private double metric(String name) {
    return api.get("/metrics")
        .body()
        .lines()
        .filter(line -> line.startsWith(name + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(name.length() + 1)))
        .sum();
  }

  private static long heapAfterGc() {
    var memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      memory.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
