package dev.sbx.controlplane.runtime.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A host uid and gid.
 *
 * @param uid user id
 * @param gid group id
 */
record HostUser(int uid, int gid) {

  /** The user this control plane runs as. */
  static HostUser current() {
    try {
      var self = Path.of("/proc/self");
      return new HostUser(
          (Integer) Files.getAttribute(self, "unix:uid"),
          (Integer) Files.getAttribute(self, "unix:gid"));
    } catch (IOException | UnsupportedOperationException e) {
      throw new IllegalStateException("cannot tell which user runs the control plane", e);
    }
  }

  boolean isRoot() {
    return uid == 0;
  }
}
