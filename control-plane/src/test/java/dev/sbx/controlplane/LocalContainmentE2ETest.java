package dev.sbx.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.controlplane.testing.Api;
import dev.sbx.controlplane.testing.LocalControlPlaneTest;
import java.lang.management.ManagementFactory;
import java.time.Duration;
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

  // Every descriptor of the sandbox's first process that it can open for writing gets 1 GB with no
  // newline, then 100k garbage lines; so do its own stdout and stderr.
  private static final String FLOOD =
      """
      opened=0
      for fd in /proc/1/fd/* /proc/1/task/*/fd/*; do
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
    assertThat(output.length() - logBefore).isLessThan(64 * 1024);
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
    assertThat(text).startsWith("/run/sbx-shell /run/sbx/init \n");
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

  private static long heapAfterGc() {
    var memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      memory.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
