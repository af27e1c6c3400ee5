package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.config.ConfigKey;
import dev.sbx.controlplane.config.InvalidConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The host's own users and groups, which sandboxes' uids must stay clear of. */
final class HostAccounts {

  private HostAccounts() {}

  /** Refuses a uid range that holds a user or group of /etc/passwd or /etc/group. */
  static void checkFree(HostUids.UidRange range) {
    for (var file : new String[] {"/etc/passwd", "/etc/group"}) {
      try {
        for (var line : Files.readAllLines(Path.of(file))) {
          var fields = line.split(":", -1);
          if (fields.length > 2 && fields[2].matches("[0-9]{1,10}")) {
            long id = Long.parseLong(fields[2]);
            if (range.contains(id)) {
              throw new InvalidConfigException(
                  ConfigKey.LOCAL_UID_RANGE.envVar()
                      + "="
                      + range
                      + ": "
                      + id
                      + " belongs to "
                      + fields[0]
                      + " in "
                      + file
                      + "; choose a range no host account uses");
            }
          }
        }
      } catch (IOException e) {
        // no such file: nothing to collide with
      }
    }
  }
}
