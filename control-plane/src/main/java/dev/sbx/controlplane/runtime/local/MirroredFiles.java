package dev.sbx.controlplane.runtime.local;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

/**
 * Copies host files into {@link EtcView}'s copy and keeps them alike: a file copied again only when
 * its size or time changed, and put in place by rename; links inside folders kept as links; modes
 * kept; what is gone from the host removed; what cannot be read left out.
 */
final class MirroredFiles {

  private MirroredFiles() {}

  /** A top-level entry, its link followed; false when there is nothing (readable) to show. */
  static boolean copyTop(Path from, Path to) throws IOException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(from, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return false;
    }
    try {
      if (attributes.isDirectory()) {
        copyFolder(from, to);
      } else if (attributes.isRegularFile()) {
        copyFile(from, to);
      } else {
        return false;
      }
      return true;
    } catch (AccessDeniedException e) {
      SandboxFolder.deleteRecursively(to);
      return false;
    }
  }

  private static void copyFolder(Path from, Path to) throws IOException {
    if (!Files.isDirectory(to, LinkOption.NOFOLLOW_LINKS)) {
      SandboxFolder.deleteRecursively(to);
      Files.createDirectory(to);
    }
    var mode = Files.getPosixFilePermissions(from);
    var writable = EnumSet.of(PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    writable.addAll(mode);
    Files.setPosixFilePermissions(to, writable); // for an ordinary user to fill it
    var kept = new HashSet<String>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(from)) {
      for (var entry : entries) {
        var name = entry.getFileName().toString();
        var target = to.resolve(name);
        try {
          if (Files.isSymbolicLink(entry)) {
            copyLink(entry, target);
          } else if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
            copyFolder(entry, target);
          } else if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
            copyFile(entry, target);
          } else {
            continue; // sockets, devices: nothing a sandbox needs from /etc
          }
          kept.add(name);
        } catch (AccessDeniedException e) {
          SandboxFolder.deleteRecursively(target); // not readable here, so not in a sandbox either
        }
      }
    }
    removeAllBut(to, kept);
    Files.setPosixFilePermissions(to, mode);
  }

  private static void copyLink(Path from, Path to) throws IOException {
    var target = Files.readSymbolicLink(from);
    if (Files.isSymbolicLink(to) && Files.readSymbolicLink(to).equals(target)) {
      return;
    }
    var temp = to.resolveSibling(".new-" + to.getFileName());
    Files.deleteIfExists(temp);
    Files.createSymbolicLink(temp, target);
    replace(temp, to);
  }

  private static void copyFile(Path from, Path to) throws IOException {
    var attributes = Files.readAttributes(from, BasicFileAttributes.class);
    if (Files.isRegularFile(to, LinkOption.NOFOLLOW_LINKS)) {
      var existing = Files.readAttributes(to, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (existing.size() == attributes.size()
          && existing.lastModifiedTime().equals(attributes.lastModifiedTime())) {
        return;
      }
    }
    var temp = to.resolveSibling(".new-" + to.getFileName());
    Files.deleteIfExists(temp);
    // Modes and times as the host's; the owner is this process, root when sandboxes run as
    // uids of their own.
    Files.copy(from, temp, StandardCopyOption.COPY_ATTRIBUTES);
    replace(temp, to);
  }

  /** Puts {@code temp} in place of {@code to} in one rename, unless {@code to} is a folder. */
  static void replace(Path temp, Path to) throws IOException {
    if (Files.isDirectory(to, LinkOption.NOFOLLOW_LINKS)) {
      SandboxFolder.deleteRecursively(to);
    }
    Files.move(temp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static void removeAllBut(Path folder, Set<String> kept) throws IOException {
    var gone = new ArrayList<Path>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
      for (var entry : entries) {
        if (!kept.contains(entry.getFileName().toString())) {
          gone.add(entry);
        }
      }
    }
    for (var entry : gone) {
      SandboxFolder.deleteRecursively(entry);
    }
  }
}
