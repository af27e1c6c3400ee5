package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.config.ConfigKey;
import dev.sbx.controlplane.config.InvalidConfigException;
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

  /** Parses {@code uid:gid} (or a lone uid, which is then also the gid). */
  static HostUser parse(String text) {
    var parts = text.trim().split(":", -1);
    try {
      if (parts.length > 2) {
        throw new NumberFormatException();
      }
      int uid = Integer.parseInt(parts[0]);
      int gid = parts.length == 2 ? Integer.parseInt(parts[1]) : uid;
      if (uid <= 0 || gid <= 0) {
        throw new InvalidConfigException(
            ConfigKey.LOCAL_RUN_AS.envVar() + "=\"" + text + "\": must not be root (0)");
      }
      return new HostUser(uid, gid);
    } catch (NumberFormatException e) {
      throw new InvalidConfigException(
          ConfigKey.LOCAL_RUN_AS.envVar()
              + "=\""
              + text
              + "\": expected uid:gid, e.g. 65534:65534");
    }
  }
}
