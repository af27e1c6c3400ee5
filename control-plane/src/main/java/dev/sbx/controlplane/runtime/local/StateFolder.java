package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.config.ConfigKey;
import dev.sbx.controlplane.config.InvalidConfigException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/** The folder that holds every local sandbox, locked so that one control plane owns it. */
final class StateFolder implements AutoCloseable {

  private final Path root;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private StateFolder(Path root, FileChannel lockChannel, FileLock lock) {
    this.root = root;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** The folder used when none is configured: one per user, as XDG suggests. */
  static Path defaultPath(HostUser user, Map<String, String> env) {
    if (user.isRoot()) {
      return Path.of("/var/lib/sbx");
    }
    var stateHome = env.get("XDG_STATE_HOME");
    if (stateHome != null && !stateHome.isBlank()) {
      return Path.of(stateHome, "sbx");
    }
    return Path.of(System.getProperty("user.home"), ".local", "state", "sbx");
  }

  /**
   * Creates the folder if needed and takes its lock.
   *
   * @param passThrough whether sandboxes run as other host users, who must be able to pass through
   *     the folder to reach its sandbox's files
   */
  static StateFolder open(Path root, boolean passThrough) {
    try {
      Files.createDirectories(root);
      Files.setPosixFilePermissions(
          root, PosixFilePermissions.fromString(passThrough ? "rwx--x--x" : "rwx------"));
      var channel =
          FileChannel.open(
              root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      var lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        throw new InvalidConfigException(
            "another control plane is using "
                + root
                + "; stop it or set "
                + ConfigKey.STATE_DIR.envVar()
                + " to another folder");
      }
      return new StateFolder(root, channel, lock);
    } catch (IOException e) {
      throw new InvalidConfigException(
          ConfigKey.STATE_DIR.envVar() + "=\"" + root + "\": cannot use it (" + e + ")", e);
    }
  }

  Path root() {
    return root;
  }

  SandboxFolder sandbox(String id) {
    return new SandboxFolder(root.resolve(id));
  }

  @Override
  public void close() throws IOException {
    lock.release();
    lockChannel.close();
  }
}
