package dev.sbx.controlplane.files;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * Reads an uploaded tar (gzip or not) entry by entry and writes again only what may be extracted
 * under the target folder: relative names with no {@code ..}, files, folders, symlinks and hard
 * links within the archive, nothing through a symlink the archive made, no devices or FIFOs, and no
 * set-id bits. The sandbox's tar then only ever sees an archive that stays in its folder. The first
 * entry refused stops the upload; entries before it were already extracted.
 */
final class ArchiveCheck {

  /** An entry that may not be extracted, and why. */
  static final class Refused extends IOException {
    final String entry;

    Refused(String entry, String why) {
      super(why);
      this.entry = entry;
    }
  }

  private final Set<String> symlinks = new HashSet<>();
  private long entries;
  private long bytes;

  /** Copies the checked archive from {@code in} to {@code out} (uncompressed tar). */
  void copy(InputStream in, OutputStream out) throws IOException {
    var buffered = new BufferedInputStream(in, 64 * 1024);
    buffered.mark(2);
    boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
    buffered.reset();
    var source = new ZeroWatch(gzip ? new GZIPInputStream(buffered, 64 * 1024) : buffered);
    var tar = new TarArchiveInputStream(source);
    boolean any = false;
    var checked = new TarArchiveOutputStream(out);
    checked.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    checked.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
      any = true;
      var name = name(entry.getName(), entry.getName());
      if (name == null) {
        continue; // the folder itself
      }
      var copy = copyOf(entry, name);
      checked.putArchiveEntry(copy);
      if (copy.isFile()) {
        bytes += tar.transferTo(checked);
      }
      checked.closeArchiveEntry();
      entries++;
    }
    if (!any) {
      source.transferTo(OutputStream.nullOutputStream());
      if (source.sawData) {
        // A tar with no entries is all zeros; anything else is not a tar at all.
        throw new IOException("not a tar archive");
      }
    }
    checked.finish();
    checked.flush();
  }

  /** Whether anything but zeros went through, which tells an empty tar from something else. */
  private static final class ZeroWatch extends FilterInputStream {
    boolean sawData;

    ZeroWatch(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      sawData |= b > 0;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      for (int i = off; i < off + n && !sawData; i++) {
        sawData = b[i] != 0;
      }
      return n;
    }
  }

  long entries() {
    return entries;
  }

  long bytes() {
    return bytes;
  }

  private TarArchiveEntry copyOf(TarArchiveEntry entry, String name) throws Refused {
    throughSymlink(name, entry.getName());
    TarArchiveEntry copy;
    if (entry.isDirectory()) {
      copy = new TarArchiveEntry(name + "/", TarArchiveEntry.LF_DIR);
    } else if (entry.isSymbolicLink()) {
      copy = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
      copy.setLinkName(entry.getLinkName());
      symlinks.add(name);
    } else if (entry.isLink()) {
      var target = name(entry.getLinkName(), entry.getName());
      if (target == null) {
        throw new Refused(entry.getName(), "a hard link to the folder itself");
      }
      throughSymlink(target, entry.getName());
      copy = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK);
      copy.setLinkName(target);
    } else if (regular(entry)) {
      copy = new TarArchiveEntry(name);
      copy.setSize(entry.getSize());
    } else {
      throw new Refused(entry.getName(), "a device, FIFO or other special file");
    }
    copy.setMode(entry.getMode() & 0777);
    copy.setModTime(entry.getModTime());
    return copy;
  }

  /** A plain file: commons-compress calls anything that is not a folder a file, devices too. */
  private static boolean regular(TarArchiveEntry entry) {
    byte flag = entry.getLinkFlag();
    return flag == TarArchiveEntry.LF_NORMAL
        || flag == TarArchiveEntry.LF_OLDNORM
        || flag == TarArchiveEntry.LF_CONTIG;
  }

  /** The entry's name relative to the folder; null for the folder itself. */
  private static @Nullable String name(String raw, String entry) throws Refused {
    if (raw.startsWith("/")) {
      throw new Refused(entry, "an absolute path");
    }
    var name = new StringBuilder();
    for (var part : raw.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        throw new Refused(entry, "a path that leaves the folder (..)");
      }
      if (!name.isEmpty()) {
        name.append('/');
      }
      name.append(part);
    }
    return name.isEmpty() ? null : name.toString();
  }

  private void throughSymlink(String name, String entry) throws Refused {
    for (int slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1)) {
      if (symlinks.contains(name.substring(0, slash))) {
        throw new Refused(entry, "a path through a symlink the archive made");
      }
    }
  }
}
