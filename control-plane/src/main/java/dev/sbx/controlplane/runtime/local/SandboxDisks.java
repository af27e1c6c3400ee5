package dev.sbx.controlplane.runtime.local;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sandboxes' own file systems, for the disk limit: one ext4 image per sandbox in {@code
 * <state>/.disks/<disk id>.img}, as large as its limit (sparse: it takes what is written), mounted
 * through a loop device at {@code <state>/.disks/<disk id>/}. Everything a sandbox can write lives
 * there, its exec output included, so writing past the limit is ENOSPC, for it alone. The image is
 * a file of the state folder: its files survive a restart, as before. Mounting needs root.
 */
final class SandboxDisks {

  static final String FOLDER = ".disks";

  private static final Logger logger = LoggerFactory.getLogger(SandboxDisks.class);

  /** Ready disks of the default size kept for creates, so that they need not make one. */
  private static final int SPARES = 2;

  private static final long REFILL_DELAY_MILLIS = 500;

  private final Path dir;
  private final Deque<String> spares = new ConcurrentLinkedDeque<>();
  private final ScheduledExecutorService filler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            var t = new Thread(r, "sbx-spare-disks");
            t.setDaemon(true);
            return t;
          });
  private volatile @Nullable Long spareSize;
  private final String mkfs;
  private final String mountTool;
  private final String umount;

  SandboxDisks(Path dir, String mkfs, String mountTool, String umount) {
    this.dir = dir;
    this.mkfs = mkfs;
    this.mountTool = mountTool;
    this.umount = umount;
  }

  /**
   * Keeps {@value #SPARES} disks of this size made and mounted ahead, so that a create with the
   * default disk limit only has to take one (formatting and mounting take tens of milliseconds).
   */
  void keepSpares(long bytes) {
    spareSize = bytes;
    refill(0);
  }

  /**
   * A disk of {@code bytes} with the given folders in it, belonging to {@code owner} (null: us): a
   * spare if one of that size is ready, else a new one. Returns its id.
   */
  String take(long bytes, List<String> folders, @Nullable HostUser owner) throws IOException {
    var size = spareSize;
    var spare = size != null && size == bytes ? spares.poll() : null;
    if (spare == null) {
      return create(bytes, folders, owner);
    }
    // Not at once: mounting takes the kernel's mount lock, which the new sandbox's bwrap needs
    // while it sets up (measured: 15 ms more to start when they met).
    refill(REFILL_DELAY_MILLIS);
    var root = mountPoint(spare);
    for (var folder : folders) {
      var made = Files.createDirectories(root.resolve(folder));
      if (owner != null) {
        Files.setAttribute(made, "unix:uid", owner.uid());
        Files.setAttribute(made, "unix:gid", owner.gid());
      }
    }
    return spare;
  }

  /** Stops making spares and removes those not taken. */
  void close() {
    spareSize = null;
    filler.shutdownNow();
    try {
      filler.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String spare;
    while ((spare = spares.poll()) != null) {
      delete(spare);
    }
  }

  private void refill(long delayMillis) {
    try {
      filler.schedule(
          () -> {
            var size = spareSize;
            while (size != null
                && spares.size() < SPARES
                && !Thread.currentThread().isInterrupted()) {
              try {
                spares.add(create(size, List.of(), null));
              } catch (IOException e) {
                logger.warn("could not make a spare disk: {}", e.getMessage());
                return;
              }
              size = spareSize;
            }
          },
          delayMillis,
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  /** Makes and mounts a new disk of {@code bytes} with the given folders in it; returns its id. */
  private String create(long bytes, List<String> folders, @Nullable HostUser owner)
      throws IOException {
    var id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    var image = image(id);
    try {
      try (var file = new RandomAccessFile(image.toFile(), "rw")) {
        file.setLength(bytes);
      }
      Files.setPosixFilePermissions(image, PosixFilePermissions.fromString("rw-------"));
      // Lazy initialisation: a fresh image is mostly holes, and formats in milliseconds. No blocks
      // reserved for root: the sandbox gets its whole limit.
      HostCommand.run(
          List.of(
              mkfs,
              "-q",
              "-F",
              "-m",
              "0",
              "-E",
              "lazy_itable_init=1,lazy_journal_init=1,nodiscard",
              image.toString()));
      mount(id);
      var root = mountPoint(id);
      for (var folder : folders) {
        var made = Files.createDirectory(root.resolve(folder));
        if (owner != null) {
          Files.setAttribute(made, "unix:uid", owner.uid());
          Files.setAttribute(made, "unix:gid", owner.gid());
        }
      }
      return id;
    } catch (IOException | RuntimeException e) {
      delete(id);
      throw e;
    }
  }

  /** The folder a disk is mounted at. */
  Path mountPoint(String id) {
    return dir.resolve(id);
  }

  /** Mounts the disk unless it is mounted already (after a restart it is not). */
  void mount(String id) throws IOException {
    var mountPoint = Files.createDirectories(mountPoint(id));
    if (mounted(id)) {
      return;
    }
    // discard: what the sandbox deletes goes back to the host's disk, the image stays sparse.
    HostCommand.run(
        List.of(
            mountTool,
            "-o",
            "loop,nosuid,nodev,noatime,discard,noinit_itable",
            image(id).toString(),
            mountPoint.toString()));
  }

  /**
   * Unmounts the disk; its processes must be gone. Its files stay in the image. Should something
   * still hold it after a second, it is detached lazily: gone from the host's mounts at once, and
   * released when the last file open on it closes.
   */
  void unmount(String id) {
    for (int attempt = 0; attempt < 20 && mounted(id); attempt++) {
      try {
        HostCommand.run(List.of(umount, mountPoint(id).toString()));
      } catch (IOException e) {
        sleep();
      }
    }
    if (mounted(id)) {
      try {
        HostCommand.run(List.of(umount, "-l", mountPoint(id).toString()));
        logger.warn("disk {} was busy; detached it lazily", id);
      } catch (IOException e) {
        logger.warn("could not unmount disk {}: {}", id, e.getMessage());
      }
    }
  }

  /** Unmounts the disk and removes it, files and all. */
  void delete(String id) {
    unmount(id);
    try {
      if (!mounted(id)) {
        Files.deleteIfExists(mountPoint(id));
        Files.deleteIfExists(image(id));
      }
    } catch (IOException e) {
      logger.warn("could not remove disk {}: {}", id, e.toString());
    }
  }

  /** Bytes the disk's files take, or null when it is not mounted. */
  @Nullable Long used(String id) {
    try {
      if (!mounted(id)) {
        return null;
      }
      var store = Files.getFileStore(mountPoint(id));
      return store.getTotalSpace() - store.getUnallocatedSpace();
    } catch (IOException e) {
      return null;
    }
  }

  /** Removes the disks no sandbox has (left by a crash between making one and recording it). */
  void removeAllBut(Set<String> ids) {
    try (Stream<Path> entries = Files.list(dir)) {
      entries
          .map(p -> p.getFileName().toString())
          .map(name -> name.endsWith(".img") ? name.substring(0, name.length() - 4) : name)
          .distinct()
          .filter(id -> !ids.contains(id))
          .forEach(this::delete);
    } catch (IOException e) {
      // nothing to clean
    }
  }

  private boolean mounted(String id) {
    try {
      var point = mountPoint(id);
      return Files.isDirectory(point, LinkOption.NOFOLLOW_LINKS)
          && !Files.getAttribute(point, "unix:dev").equals(Files.getAttribute(dir, "unix:dev"));
    } catch (IOException e) {
      return false;
    }
  }

  private Path image(String id) {
    return dir.resolve(id + ".img");
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
