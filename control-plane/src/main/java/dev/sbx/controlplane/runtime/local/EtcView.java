package dev.sbx.controlplane.runtime.local;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The allow-listed part of this machine's {@code /etc} ({@link HostSystem#etc()}), copied into the
 * state folder with the passwd, group, hosts and hostname every sandbox gets ({@link
 * SandboxFiles#ETC_FILES}), which every sandbox sees as its {@code /etc} through one read-only
 * bind.
 *
 * <p>Why a copy: for bwrap each bind is a mount, a read-only remount and a read of the mount table.
 * With the ~35 binds of {@code /etc} entries, bwrap with a sandbox's mounts took 13.0 ms to run
 * {@code true}; with one bind of this view 6.5 ms, against 4.9 ms for a bare {@code bwrap
 * --unshare-all} (hyperfine, 100 runs each, same run, 2026-12-03). That is most of what a cold
 * create spends before its sandbox's init runs.
 *
 * <p>The copy follows the host: a create has it looked at, in the background and at most every
 * {@link #CHECK_EVERY_NANOS}, whether an entry or a folder in it changed (modification times), and
 * what did is copied again; files are replaced by rename, so running sandboxes see the new ones
 * too. A link at the top, such as {@code /etc/resolv.conf -> /run/...}, is copied as what it points
 * to, as the bind did; links inside folders stay links. Entries this process cannot read are left
 * out (inside a sandbox they could not be read either).
 */
final class EtcView {

  private static final Logger logger = LoggerFactory.getLogger(EtcView.class);

  static final long CHECK_EVERY_NANOS = 2_000_000_000L;

  private final Path source;
  private final Path view;
  private final List<String> names;
  private long checkedAt; // guarded by this
  private boolean refreshing; // guarded by this
  private @Nullable List<Long> fingerprint; // guarded by this

  EtcView(Path source, Path view, List<String> names) {
    this.source = source;
    this.view = view;
    this.names = List.copyOf(names);
  }

  /**
   * The view of this machine's {@code /etc} in {@code <state>/.etc}, copied now; null when it
   * cannot be made, and sandboxes then bind the entries one by one.
   */
  static @Nullable EtcView open(Path stateRoot, List<String> names) {
    var view = new EtcView(Path.of("/etc"), stateRoot.resolve(".etc"), names);
    try {
      view.refresh();
      return view;
    } catch (IOException | RuntimeException e) {
      logger.warn(
          "cannot copy /etc for sandboxes ({}); binding its entries one by one", e.toString());
      return null;
    }
  }

  Path dir() {
    return view;
  }

  /**
   * Copies again, in the background, what changed on the host, if the last look is older than the
   * check period. The look walks the folders (a few hundred entries, milliseconds), so a create
   * never waits for it: the sandbox that asked gets the copy as it is.
   */
  void refreshIfStale() {
    synchronized (this) {
      if (refreshing || System.nanoTime() - checkedAt < CHECK_EVERY_NANOS) {
        return;
      }
      refreshing = true;
    }
    CompletableFuture.runAsync(
        () -> {
          try {
            refresh();
          } catch (IOException | RuntimeException e) {
            logger.warn("cannot update the copy of /etc for sandboxes: {}", e.toString());
          } finally {
            synchronized (this) {
              refreshing = false;
            }
          }
        });
  }

  /** Copies what changed since the last copy (everything the first time). */
  synchronized void refresh() throws IOException {
    checkedAt = System.nanoTime();
    var now = fingerprint();
    if (now.equals(fingerprint)) {
      return;
    }
    Files.createDirectories(view);
    Files.setPosixFilePermissions(view, PosixFilePermissions.fromString("rwxr-xr-x"));
    var kept = new HashSet<String>(SandboxFiles.ETC_FILES.keySet());
    for (var name : names) {
      if (!kept.contains(name) && MirroredFiles.copyTop(source.resolve(name), view.resolve(name))) {
        kept.add(name);
      }
    }
    for (var own : SandboxFiles.ETC_FILES.entrySet()) {
      var file = view.resolve(own.getKey());
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
          || !Files.readString(file).equals(own.getValue())) {
        var temp = view.resolve(".new-" + own.getKey());
        Files.deleteIfExists(temp);
        Files.writeString(temp, own.getValue());
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
        MirroredFiles.replace(temp, file);
      }
    }
    MirroredFiles.removeAllBut(view, kept);
    fingerprint = now;
  }

  /**
   * Modification times and sizes of the entries, and modification times of every folder in them: a
   * file replaced, added or removed changes its folder's time.
   */
  private List<Long> fingerprint() throws IOException {
    var marks = new ArrayList<Long>();
    for (var name : names) {
      var entry = source.resolve(name);
      BasicFileAttributes attributes;
      try {
        attributes = Files.readAttributes(entry, BasicFileAttributes.class);
      } catch (NoSuchFileException e) {
        marks.add(-1L);
        continue;
      }
      marks.add(attributes.lastModifiedTime().toMillis());
      marks.add(attributes.size());
      if (attributes.isDirectory()) {
        folderTimes(entry, marks);
      }
    }
    return marks;
  }

  private static void folderTimes(Path folder, List<Long> marks) throws IOException {
    try (DirectoryStream<Path> entries =
        Files.newDirectoryStream(folder, p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))) {
      for (var sub : entries) {
        marks.add(Files.getLastModifiedTime(sub, LinkOption.NOFOLLOW_LINKS).toMillis());
        folderTimes(sub, marks);
      }
    } catch (AccessDeniedException e) {
      marks.add(0L);
    }
  }
}
