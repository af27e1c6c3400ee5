package dev.sbx.controlplane.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sbx.controlplane.config.InvalidConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BubblewrapTest {

  @TempDir Path dir;

  @Test
  void locateWhenBwrapIsNotOnThePathShouldSayHowToInstallIt() {
    assertThatThrownBy(() -> Bubblewrap.locate("bwrap", dir.toString()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("bubblewrap (bwrap) is not installed")
        .hasMessageContaining("apt-get install bubblewrap")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void locateShouldFindAnExecutableOnThePath() throws IOException {
    var fake = dir.resolve("bwrap");
    Files.createFile(
        fake, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    assertThat(Bubblewrap.locate("bwrap", "/nonexistent:" + dir)).isEqualTo(fake.toString());
  }

  @Test
  void locateWhenConfiguredPathIsNotExecutableShouldNameTheVariable() {
    assertThatThrownBy(() -> Bubblewrap.locate(dir.resolve("nope").toString(), null))
        .hasMessageContaining("SANDBOX_BWRAP");
  }
}
