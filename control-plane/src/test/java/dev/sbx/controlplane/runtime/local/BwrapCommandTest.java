package dev.sbx.controlplane.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BwrapCommandTest {

  private static final HostSystem SYSTEM =
      new HostSystem(
          List.of(new HostSystem.TopLevel("/bin", "usr/bin")), List.of("ld.so.cache", "ssl"));
  private static final SandboxFolder FOLDER = new SandboxFolder(Path.of("/state/sbx-a"));

  @Test
  void buildShouldIsolateEveryNamespaceAndDropPrivileges() {
    var cmd = command(null, false).build(FOLDER, Map.of());
    assertThat(cmd.get(0)).isEqualTo("/usr/bin/bwrap");
    assertThat(cmd)
        .contains(
            "--unshare-user",
            "--unshare-pid",
            "--unshare-ipc",
            "--unshare-uts",
            "--unshare-net",
            "--disable-userns",
            "--die-with-parent",
            "--new-session");
    assertThat(pairs(cmd, "--cap-drop")).containsExactly("ALL");
    assertThat(pairs(cmd, "--uid")).containsExactly("1000");
    assertThat(cmd.subList(cmd.size() - 3, cmd.size()))
        .containsExactly("--", "/bin/bash", "/run/sbx/init");
  }

  @Test
  void buildShouldShowTheSystemReadOnlyAndOnlyTheSandboxsOwnFoldersWritable() {
    var cmd = command(null, false).build(FOLDER, Map.of());
    assertThat(triples(cmd, "--ro-bind"))
        .contains(
            "/usr -> /usr",
            "/state/sbx-a/etc/passwd -> /etc/passwd",
            "/state/sbx-a/run -> /run/sbx");
    assertThat(triples(cmd, "--ro-bind-try"))
        .containsExactly("/etc/ld.so.cache -> /etc/ld.so.cache", "/etc/ssl -> /etc/ssl");
    assertThat(triples(cmd, "--bind"))
        .containsExactlyInAnyOrder(
            "/state/sbx-a/tmp -> /tmp",
            "/state/sbx-a/workspace -> /workspace",
            "/state/sbx-a/cache -> /cache",
            "/state/sbx-a/home -> /home/sandbox",
            "/state/sbx-a/run/x -> /run/sbx/x");
    assertThat(triples(cmd, "--symlink")).containsExactly("usr/bin -> /bin");
    assertThat(String.join(" ", cmd)).doesNotContain("/root").doesNotContain("shadow");
  }

  @Test
  void buildWhenHostNetworkShouldShareTheNetworkNamespace() {
    assertThat(command(null, true).build(FOLDER, Map.of())).doesNotContain("--unshare-net");
  }

  @Test
  void buildWhenRunAsIsGivenShouldSwitchToThatUserFirst() {
    var cmd = command(new HostUser(65534, 65534), false).build(FOLDER, Map.of());
    assertThat(cmd.subList(0, 8))
        .containsExactly(
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--inh-caps=-all",
            "--bounding-set=-all",
            "--",
            "/usr/bin/bwrap");
  }

  @Test
  void buildShouldStartFromAClearEnvironmentPlusTheSandboxesOwn() {
    var cmd = command(null, false).build(FOLDER, Map.of("FOO", "bar baz"));
    assertThat(cmd).contains("--clearenv");
    assertThat(triples(cmd, "--setenv"))
        .contains("HOME -> /home/sandbox", "USER -> sandbox", "FOO -> bar baz");
  }

  private static BwrapCommand command(HostUser runAs, boolean hostNetwork) {
    return new BwrapCommand("/usr/bin/bwrap", runAs, hostNetwork, SYSTEM, false);
  }

  private static List<String> pairs(List<String> cmd, String option) {
    var values = new java.util.ArrayList<String>();
    for (int i = 0; i < cmd.size() - 1; i++) {
      if (cmd.get(i).equals(option)) {
        values.add(cmd.get(i + 1));
      }
    }
    return values;
  }

  private static List<String> triples(List<String> cmd, String option) {
    var values = new java.util.ArrayList<String>();
    for (int i = 0; i < cmd.size() - 2; i++) {
      if (cmd.get(i).equals(option)) {
        values.add(cmd.get(i + 1) + " -> " + cmd.get(i + 2));
      }
    }
    return Collections.unmodifiableList(values);
  }
}
