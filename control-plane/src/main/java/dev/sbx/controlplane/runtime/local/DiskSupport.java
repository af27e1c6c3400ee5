package dev.sbx.controlplane.runtime.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Whether this control plane can give sandboxes disks of their own ({@link SandboxDisks}), and why
 * not when it cannot (shown as the reason the disk limit is not enforced).
 *
 * @param disks the disks, when there can be some
 * @param unavailable why there cannot, otherwise
 */
record DiskSupport(@Nullable SandboxDisks disks, @Nullable String unavailable) {

  static DiskSupport no(String why) {
    return new DiskSupport(null, why);
  }

  /**
   * Disks in this state folder, or why there can be none here (shown as the reason the disk limit
   * is not enforced).
   */
  static DiskSupport open(Path stateRoot, boolean root, @Nullable String pathVariable) {
    if (!root) {
      return DiskSupport.no(
          "an ordinary user cannot mount a file system image (it needs root), so sandboxes' files"
              + " count against the host's disk; run the control plane as root to limit them");
    }
    var tools = new ArrayList<String>();
    for (var tool : List.of("mkfs.ext4", "mount", "umount")) {
      var found = HostCommand.locate(tool, pathVariable);
      if (found == null) {
        return DiskSupport.no(tool + " is missing (install e2fsprogs and util-linux)");
      }
      tools.add(found);
    }
    if (!Files.exists(Path.of("/dev/loop-control"))) {
      return DiskSupport.no("this machine has no loop devices (/dev/loop-control)");
    }
    try {
      var dir = Files.createDirectories(stateRoot.resolve(SandboxDisks.FOLDER));
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
      return new DiskSupport(new SandboxDisks(dir, tools.get(0), tools.get(1), tools.get(2)), null);
    } catch (IOException e) {
      return DiskSupport.no(
          "cannot make " + stateRoot.resolve(SandboxDisks.FOLDER) + ": " + e.getMessage());
    }
  }
}
