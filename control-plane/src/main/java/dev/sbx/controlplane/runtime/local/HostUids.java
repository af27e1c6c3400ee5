package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.config.ConfigKey;
import dev.sbx.controlplane.config.InvalidConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each local sandbox a host uid of its own (and the same gid) from {@code
 * SANDBOX_LOCAL_UID_RANGE}, when the control plane runs as root: no sandbox shares a host identity
 * with another, nor with the host's own users ({@code nobody} included).
 *
 * <p>A uid is claimed by a file in a folder every control plane on the host shares ({@code
 * /run/sbx-uids/<uid>}, made with O_EXCL and naming its sandbox's folder), so that two control
 * planes given the same or overlapping ranges never hand out the same uid. A claim whose sandbox
 * folder is gone (deleted while its control plane was down, or a state folder removed) is stale and
 * taken over. The uid is also kept in the sandbox's folder, which is how it survives a restart.
 */
final class HostUids {

  private static final Logger logger = LoggerFactory.getLogger(HostUids.class);

  /** Where every control plane of the host claims its sandboxes' uids. */
  static final Path REGISTRY = Path.of("/run/sbx-uids");

  private final UidRange range;
  private final Path registry;
  private final Path stateRoot;
  private long next;

  HostUids(UidRange range, Path registry, Path stateRoot) throws IOException {
    this.range = range;
    this.registry = registry;
    this.stateRoot = stateRoot;
    this.next = range.first();
    Files.createDirectories(registry);
    Files.setPosixFilePermissions(registry, PosixFilePermissions.fromString("rwx------"));
  }

  UidRange range() {
    return range;
  }

  /** Claims a free uid of the range for a new sandbox. */
  synchronized HostUser allocate(String sandboxId) throws IOException {
    long size = range.size();
    for (long i = 0; i < size; i++) {
      long uid = range.first() + (next - range.first() + i) % size;
      if (claim(uid, sandboxId)) {
        next = uid + 1 > range.last() ? range.first() : uid + 1;
        return new HostUser((int) uid, (int) uid);
      }
    }
    throw new IOException(
        "every uid of "
            + ConfigKey.LOCAL_UID_RANGE.envVar()
            + "="
            + range
            + " is taken by a sandbox; delete some or give a larger range");
  }

  /**
   * Claims again the uid a sandbox had before a restart.
   *
   * @return false when another control plane's live sandbox holds it now
   */
  synchronized boolean reclaim(HostUser user, String sandboxId) throws IOException {
    if (claim(user.uid(), sandboxId)) {
      return true;
    }
    logger.error(
        "sandbox {}: its host uid {} is claimed by {}; it gets another",
        sandboxId,
        user.uid(),
        owner(user.uid()));
    return false;
  }

  /** Gives up a deleted sandbox's uid. */
  synchronized void release(HostUser user, String sandboxId) {
    var file = claimFile(user.uid());
    try {
      if (ours(file, sandboxId)) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      logger.warn("could not release host uid {}: {}", user.uid(), e.toString());
    }
  }

  private boolean claim(long uid, String sandboxId) throws IOException {
    var file = claimFile(uid);
    var content = folderOf(sandboxId).toString().getBytes(StandardCharsets.UTF_8);
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        Files.write(file, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return true;
      } catch (FileAlreadyExistsException e) {
        if (ours(file, sandboxId)) {
          return true;
        }
        if (!stale(file)) {
          return false;
        }
        Files.deleteIfExists(file);
      }
    }
    return false;
  }

  private boolean ours(Path file, String sandboxId) throws IOException {
    return folderOf(sandboxId).toString().equals(read(file));
  }

  /** A claim whose sandbox has no folder any more. */
  private static boolean stale(Path file) throws IOException {
    var folder = read(file);
    return folder == null
        || !Files.isRegularFile(
            Path.of(folder).resolve(SandboxFolder.METADATA), LinkOption.NOFOLLOW_LINKS);
  }

  private String owner(long uid) {
    try {
      return read(claimFile(uid));
    } catch (IOException e) {
      return "(unreadable)";
    }
  }

  private static String read(Path file) throws IOException {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private Path claimFile(long uid) {
    return registry.resolve(Long.toString(uid));
  }

  private Path folderOf(String sandboxId) {
    return stateRoot.resolve(sandboxId);
  }

  /**
   * A range of host uids, {@code FIRST-LAST}.
   *
   * @param first the lowest
   * @param last the highest
   */
  record UidRange(long first, long last) {

    static UidRange parse(String text) {
      var parts = text.trim().split("-", -1);
      try {
        if (parts.length != 2) {
          throw new NumberFormatException();
        }
        var range = new UidRange(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        if (range.first < 1000 || range.first > range.last || range.last > Integer.MAX_VALUE) {
          throw new InvalidConfigException(
              ConfigKey.LOCAL_UID_RANGE.envVar()
                  + "=\""
                  + text
                  + "\": expected FIRST-LAST with 1000 <= FIRST <= LAST <= 2147483647, away from"
                  + " the host's own users");
        }
        return range;
      } catch (NumberFormatException e) {
        throw new InvalidConfigException(
            ConfigKey.LOCAL_UID_RANGE.envVar()
                + "=\""
                + text
                + "\": expected FIRST-LAST, e.g. 2130706432-2130771967");
      }
    }

    long size() {
      return last - first + 1;
    }

    boolean contains(long uid) {
      return uid >= first && uid <= last;
    }

    @Override
    public String toString() {
      return first + "-" + last;
    }
  }
}
