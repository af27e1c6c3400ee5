package dev.sbx.controlplane.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The copy of /etc sandboxes see, made from a stand-in for /etc. */
class EtcViewTest {

  @TempDir Path dir;

  private Path etc() throws IOException {
    var etc = Files.createDirectories(dir.resolve("etc"));
    Files.writeString(etc.resolve("os-release"), "ID=test\n");
    Files.createDirectories(etc.resolve("ssl/certs"));
    Files.writeString(etc.resolve("ssl/certs/ca.pem"), "CERT\n");
    Files.createSymbolicLink(etc.resolve("ssl/certs/abc.0"), Path.of("ca.pem"));
    Files.writeString(dir.resolve("resolv.target"), "nameserver 10.0.0.1\n");
    Files.createSymbolicLink(etc.resolve("resolv.conf"), dir.resolve("resolv.target"));
    Files.writeString(etc.resolve("shadow"), "root:secret\n");
    return etc;
  }

  private EtcView view(Path etc) {
    return new EtcView(
        etc, dir.resolve("state/.etc"), List.of("os-release", "ssl", "resolv.conf", "missing"));
  }

  @Test
  void refreshShouldCopyOnlyTheAllowedEntriesWithPlaceholdersForEachSandboxsOwnFiles()
      throws IOException {
    var etc = etc();
    var view = view(etc);
    view.refresh();
    var copy = view.dir();
    try (var entries = Files.list(copy)) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "os-release", "ssl", "resolv.conf", "passwd", "group", "hosts", "hostname");
    }
    assertThat(Files.readString(copy.resolve("os-release"))).isEqualTo("ID=test\n");
    assertThat(Files.readString(copy.resolve("ssl/certs/ca.pem"))).isEqualTo("CERT\n");
    assertThat(Files.readSymbolicLink(copy.resolve("ssl/certs/abc.0")))
        .as("links inside folders stay links")
        .isEqualTo(Path.of("ca.pem"));
    assertThat(Files.isSymbolicLink(copy.resolve("resolv.conf")))
        .as("a link at the top is copied as what it points to, as a bind shows it")
        .isFalse();
    assertThat(Files.readString(copy.resolve("resolv.conf"))).isEqualTo("nameserver 10.0.0.1\n");
    assertThat(Files.readString(copy.resolve("passwd")))
        .as("the passwd every sandbox gets, not the host's")
        .contains("sandbox:x:1000:1000:")
        .doesNotContain("secret");
  }

  @Test
  void refreshWhenTheHostChangesShouldFollowIt() throws IOException {
    var etc = etc();
    var view = view(etc);
    view.refresh();
    Files.writeString(etc.resolve("os-release"), "ID=changed\n");
    Files.setLastModifiedTime(etc.resolve("os-release"), FileTime.fromMillis(1_000_000));
    Files.delete(etc.resolve("ssl/certs/ca.pem"));
    Files.writeString(etc.resolve("ssl/certs/new.pem"), "NEW\n");
    Files.setLastModifiedTime(etc.resolve("ssl/certs"), FileTime.fromMillis(2_000_000));
    view.refresh();
    var copy = view.dir();
    assertThat(Files.readString(copy.resolve("os-release"))).isEqualTo("ID=changed\n");
    assertThat(copy.resolve("ssl/certs/ca.pem")).doesNotExist();
    assertThat(Files.readString(copy.resolve("ssl/certs/new.pem"))).isEqualTo("NEW\n");
    Files.delete(etc.resolve("os-release"));
    view.refresh();
    assertThat(copy.resolve("os-release")).doesNotExist();
  }

  @Test
  void refreshShouldKeepModesSoWhatIsPrivateOnTheHostStaysPrivate() throws IOException {
    var etc = etc();
    var priv = Files.createDirectories(etc.resolve("ssl/private"));
    Files.writeString(priv.resolve("key.pem"), "KEY\n");
    Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rwx------"));
    Files.setPosixFilePermissions(
        etc.resolve("os-release"), PosixFilePermissions.fromString("rw-r-----"));
    var view = view(etc);
    view.refresh();
    var copy = view.dir();
    assertThat(
            Files.getPosixFilePermissions(copy.resolve("ssl/private"), LinkOption.NOFOLLOW_LINKS))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(Files.getPosixFilePermissions(copy.resolve("os-release")))
        .isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
  }
}
