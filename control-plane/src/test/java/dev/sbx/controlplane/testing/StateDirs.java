package dev.sbx.controlplane.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** State folders for test control planes. */
public final class StateDirs {

  private StateDirs() {}

  /**
   * A new, empty folder under the temp folder. It is searchable by others (711) because, when the
   * tests run as root, sandboxes run as an unprivileged user who must pass through it.
   */
  public static Path create(String name) {
    try {
      var dir = Files.createTempDirectory("sbx-test-" + name + "-");
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
      return dir.resolve("state");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
