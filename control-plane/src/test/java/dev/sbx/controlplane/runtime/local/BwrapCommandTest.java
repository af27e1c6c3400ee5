package dev.sbx.controlplane.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BwrapCommandTest {

  private static final HostSystem SYSTEM =
      new HostSystem(
          List.of(new HostSystem.TopLevel("/bin", "usr/bin")), List.of("ld.so.cache", "ssl"));
  private static final SandboxFolder FOLDER = new SandboxFolder(Path.of("/state/sbx-a"));
  private static final InitProgram NATIVE_INIT =
      new InitProgram(Path.of("/state/init-native"), true);
  private static final InitProgram SHELL_INIT =
      new InitProgram(Path.of("/state/init-shell"), false);

  @Test
  void optionsShouldIsolateEveryNamespaceAndDropPrivileges() {
    var cmd = command(false).optionList(FOLDER, Map.of());
    assertThat(cmd)
        .contains(
            "--unshare-user",
            "--unshare-pid",
            "--unshare-ipc",
            "--unshare-uts",
            "--unshare-net",
            "--disable-userns",
            "--die-with-parent",
            "--as-pid-1",
            "--new-session");
    assertThat(pairs(cmd, "--cap-drop")).containsExactly("ALL");
    assertThat(pairs(cmd, "--uid")).containsExactly("1000");
    assertThat(cmd).doesNotContain("--");
  }

  @Test
  void optionsShouldShowTheSystemReadOnlyAndOnlyTheSandboxsOwnFoldersWritable() {
    var cmd = command(false).optionList(FOLDER, Map.of());
    assertThat(triples(cmd, "--ro-bind"))
        .contains(
            "/usr -> /usr",
            "/state/sbx-a/etc/passwd -> /etc/passwd",
            "/state/sbx-a/run -> /run/sbx",
            "/state/init-native -> /run/sbx-init");
    assertThat(triples(cmd, "--ro-bind-try"))
        .containsExactly("/etc/ld.so.cache -> /etc/ld.so.cache", "/etc/ssl -> /etc/ssl");
    assertThat(triples(cmd, "--bind"))
        .containsExactlyInAnyOrder(
            "/state/sbx-a/fs/tmp -> /tmp",
            "/state/sbx-a/fs/workspace -> /workspace",
            "/state/sbx-a/fs/cache -> /cache",
            "/state/sbx-a/fs/home -> /home/sandbox",
            "/state/sbx-a/fs/x -> /run/sbx/x");
    assertThat(triples(cmd, "--symlink")).containsExactly("usr/bin -> /bin");
    assertThat(String.join(" ", cmd)).doesNotContain("/root").doesNotContain("shadow");
  }

  @Test
  void optionsWithACopyOfEtcShouldBindItOnceAndResolvConfLive(@TempDir Path dir) {
    var view = new EtcView(dir.resolve("etc"), dir.resolve("view"), List.of("ssl", "resolv.conf"));
    var system =
        new HostSystem(
            List.of(new HostSystem.TopLevel("/bin", "usr/bin")),
            List.of("ssl", "resolv.conf"),
            view);
    var cmd =
        new BwrapCommand("/usr/bin/bwrap", false, system, false, SHELL_INIT)
            .optionList(FOLDER, Map.of());
    assertThat(triples(cmd, "--ro-bind")).contains(dir.resolve("view") + " -> /etc");
    assertThat(triples(cmd, "--ro-bind").stream().filter(t -> t.endsWith(" -> /etc/passwd")))
        .as("passwd comes with the copy")
        .isEmpty();
    assertThat(triples(cmd, "--ro-bind-try"))
        .containsExactly("/etc/resolv.conf -> /etc/resolv.conf");
  }

  @Test
  void optionsShouldBeNulSeparatedForBwrapsArgs() {
    var options = command(false).options(FOLDER, Map.of("FOO", "a b"));
    var text = new String(options, StandardCharsets.UTF_8);
    assertThat(text).endsWith("\0").contains("\0--setenv\0FOO\0a b\0");
    assertThat(text.split("\0"))
        .containsExactlyElementsOf(command(false).optionList(FOLDER, Map.of("FOO", "a b")));
  }

  @Test
  void launchShouldJoinTheCgroupsThenRunBwrapWithItsOptionsFromTheFileAndNoHostPathInside() {
    var cmd =
        command(false)
            .launch(
                Path.of("/state/sbx-a/bwrap.args"),
                List.of(
                    Path.of("/cg/memory/sbx-a/cgroup.procs"),
                    Path.of("/cg/pids/sbx-a/cgroup.procs")),
                null);
    assertThat(cmd)
        .containsExactly(
            "/state/init-native",
            "--launch",
            "/state/sbx-a/bwrap.args",
            "/cg/memory/sbx-a/cgroup.procs",
            "/cg/pids/sbx-a/cgroup.procs",
            "--",
            "/usr/bin/bwrap",
            "--args",
            "3",
            "--",
            "/run/sbx-init");
  }

  @Test
  void launchWithTheNativeInitShouldLeaveResettingSignalsToIt() {
    var resetting = new BwrapCommand("/usr/bin/bwrap", false, SYSTEM, true, NATIVE_INIT);
    assertThat(resetting.launch(Path.of("/a"), List.of(), null)).doesNotContain("env");
  }

  @Test
  void launchWithTheShellInitShouldRunTheScriptUnderTheCopyOfBash() {
    var shell = new BwrapCommand("/usr/bin/bwrap", false, SYSTEM, true, SHELL_INIT);
    var cmd = shell.launch(Path.of("/state/sbx-a/bwrap.args"), List.of(), null);
    assertThat(cmd.subList(0, 2)).containsExactly("/bin/sh", "-c");
    assertThat(cmd.subList(3, cmd.size()))
        .containsExactly(
            "sbx-launch",
            "/state/sbx-a/bwrap.args",
            "--",
            "env",
            "--default-signal",
            "/usr/bin/bwrap",
            "--args",
            "3",
            "--",
            "/run/sbx-shell",
            "/run/sbx/init");
    assertThat(triples(shell.optionList(FOLDER, Map.of()), "--ro-bind"))
        .contains("/state/init-shell -> /run/sbx-shell");
  }

  @Test
  void optionsWhenHostNetworkShouldShareTheNetworkNamespace() {
    assertThat(command(true).optionList(FOLDER, Map.of())).doesNotContain("--unshare-net");
  }

  @Test
  void launchWhenRunAsIsGivenShouldSwitchToThatUserBeforeBwrap() {
    var user = new HostUser(2130706432, 2130706433);
    assertThat(command(false).launch(Path.of("/a"), List.of(), user))
        .startsWith("/state/init-native", "--launch", "--as", "2130706432:2130706433", "/a", "--")
        .doesNotContain("setpriv");
    var cmd =
        new BwrapCommand("/usr/bin/bwrap", false, SYSTEM, false, SHELL_INIT)
            .launch(Path.of("/a"), List.of(), new HostUser(2130706432, 2130706432));
    var bwrap = cmd.indexOf("/usr/bin/bwrap");
    assertThat(cmd.subList(bwrap - 7, bwrap))
        .containsExactly(
            "setpriv",
            "--reuid=2130706432",
            "--regid=2130706432",
            "--clear-groups",
            "--inh-caps=-all",
            "--bounding-set=-all",
            "--");
  }

  @Test
  void optionsShouldStartFromAClearEnvironmentPlusTheSandboxesOwn() {
    var cmd = command(false).optionList(FOLDER, Map.of("FOO", "bar baz"));
    assertThat(cmd).contains("--clearenv");
    assertThat(triples(cmd, "--setenv"))
        .contains("HOME -> /home/sandbox", "USER -> sandbox", "FOO -> bar baz");
  }

  private static BwrapCommand command(boolean hostNetwork) {
    return new BwrapCommand("/usr/bin/bwrap", hostNetwork, SYSTEM, false, NATIVE_INIT);
  }

  private static List<String> pairs(List<String> cmd, String option) {
    var values = new ArrayList<String>();
    for (int i = 0; i < cmd.size() - 1; i++) {
      if (cmd.get(i).equals(option)) {
        values.add(cmd.get(i + 1));
      }
    }
    return values;
  }

  private static List<String> triples(List<String> cmd, String option) {
    var values = new ArrayList<String>();
    for (int i = 0; i < cmd.size() - 2; i++) {
      if (cmd.get(i).equals(option)) {
        values.add(cmd.get(i + 1) + " -> " + cmd.get(i + 2));
      }
    }
    return Collections.unmodifiableList(values);
  }
}
