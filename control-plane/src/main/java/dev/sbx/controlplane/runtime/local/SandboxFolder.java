package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.runtime.Escaped;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The folder that holds one local sandbox: its files and metadata. The folder is the source of
 * truth, so a restarted control plane finds every sandbox again.
 *
 * <pre>
 * sandbox.json   metadata (id, created_at, env, host lists)
 * last-exec      its modification time is when a command last started or ended
 * fs/            everything the sandbox writes: a link to its own disk (../.disks/<id>, see
 *                SandboxDisks) when its disk is limited, else a plain folder
 *   workspace/   /workspace, the sandbox's working folder
 *   cache/       /cache
 *   home/        /home/sandbox
 *   tmp/         /tmp
 *   x/           /run/sbx/x: exec requests and output, shared with sbx-init
 * etc/           passwd, group, hosts and hostname made for the sandbox
 * run/init       the sandbox's first process (sbx-init.sh), read-only inside
 * run/x/         where fs/x is mounted inside
 * init.log       what bwrap and sbx-init wrote on stderr
 * bwrap.args     bwrap's options, read through a descriptor so that they do not show inside
 * </pre>
 */
record SandboxFolder(Path root) {

  private static final int LOG_TAIL = 2000;
  private static final int MAX_LEFTOVERS = 64;
  private static final Pattern LEFTOVER = Pattern.compile("[A-Za-z0-9_-]{1,64}\\.req");

  static final String METADATA = "sandbox.json";

  Path metadata() {
    return root.resolve(METADATA);
  }

  /** The folders of the sandbox's own files, in {@link #data()}. */
  static final List<String> DATA_FOLDERS = List.of("workspace", "cache", "home", "tmp", "x");

  /** Everything the sandbox writes: its disk, or a plain folder. */
  Path data() {
    return root.resolve("fs");
  }

  Path workspace() {
    return data().resolve("workspace");
  }

  Path cache() {
    return data().resolve("cache");
  }

  Path home() {
    return data().resolve("home");
  }

  Path tmp() {
    return data().resolve("tmp");
  }

  Path etc() {
    return root.resolve("etc");
  }

  Path run() {
    return root.resolve("run");
  }

  Path initScript() {
    return run().resolve("init");
  }

  Path execs() {
    return data().resolve("x");
  }

  /** The disk {@link #data()} leads to, or null when it is a plain folder. */
  @Nullable String diskId() {
    if (!Files.isSymbolicLink(data())) {
      return null;
    }
    try {
      return Files.readSymbolicLink(data()).getFileName().toString();
    } catch (IOException e) {
      return null;
    }
  }

  /** Makes {@link #data()} the disk's link. */
  void linkDisk(String diskId) throws IOException {
    Files.createSymbolicLink(data(), Path.of("..", SandboxDisks.FOLDER, diskId));
  }

  /**
   * Moves the files of a sandbox made before {@link #data()} existed into it, keeping them on the
   * host's disk; true when there was something to move.
   */
  boolean moveOldLayout() throws IOException {
    if (Files.exists(data(), LinkOption.NOFOLLOW_LINKS)
        || !Files.isDirectory(root.resolve("workspace"))) {
      return false;
    }
    Files.createDirectory(data());
    for (var name : List.of("workspace", "cache", "home", "tmp")) {
      var old = root.resolve(name);
      if (Files.isDirectory(old, LinkOption.NOFOLLOW_LINKS)) {
        Files.move(old, data().resolve(name));
      }
    }
    return true;
  }

  /**
   * The mark of a warm pool spare no create has taken yet: made before its metadata, removed when a
   * create takes it, so that a restart finds every spare it left behind and removes it.
   */
  private Path spareMarker() {
    return root.resolve("spare");
  }

  void markSpare() throws IOException {
    Files.createFile(spareMarker());
  }

  boolean isSpare() {
    return Files.exists(spareMarker(), LinkOption.NOFOLLOW_LINKS);
  }

  void unmarkSpare() throws IOException {
    Files.delete(spareMarker());
  }

  Path initLog() {
    return root.resolve("init.log");
  }

  /** bwrap's options for the sandbox's next start, NUL-separated; never seen inside. */
  Path bwrapArgs() {
    return root.resolve("bwrap.args");
  }

  private Path lastExecMarker() {
    return root.resolve("last-exec");
  }

  /** The folders the sandbox writes to, which belong to the sandbox's host user. */
  List<Path> writableFolders() {
    return List.of(workspace(), cache(), home(), tmp(), execs());
  }

  /**
   * Makes the folders of a new sandbox, and of one found at start-up; {@link #data()}'s own when it
   * is a plain folder (a disk comes with them).
   */
  void createLayout() throws IOException {
    if (!Files.isSymbolicLink(data())) {
      for (var dir : writableFolders()) {
        Files.createDirectories(dir);
      }
    }
    Files.createDirectories(etc());
    Files.createDirectories(run().resolve("x"));
  }

  void writeAtomically(Path target, String content) throws IOException {
    var temp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.writeString(temp, content);
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  void touchLastExec(Instant when) {
    try {
      var marker = lastExecMarker();
      if (!Files.exists(marker)) {
        Files.createFile(marker);
      }
      Files.setLastModifiedTime(marker, FileTime.from(when));
    } catch (IOException e) {
      // Only the "last exec" time is lost, which must not fail the exec itself.
    }
  }

  @Nullable Instant lastExec() {
    try {
      return Files.getLastModifiedTime(lastExecMarker()).toInstant().truncatedTo(ChronoUnit.MILLIS);
    } catch (IOException e) {
      return null;
    }
  }

  /** The end of init.log, escaped, to explain why a sandbox did not start or stopped. */
  String initLogTail() {
    try (var file = FileChannel.open(initLog(), StandardOpenOption.READ)) {
      var tail = ByteBuffer.allocate(LOG_TAIL);
      file.read(tail, Math.max(0, file.size() - LOG_TAIL));
      var text = new String(tail.array(), 0, tail.position(), StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? "(no message)" : Escaped.of(text.replace('\n', ' '));
    } catch (IOException e) {
      return "(no message)";
    }
  }

  /**
   * The request files of execs that were running when the control plane stopped: at most {@value
   * #MAX_LEFTOVERS}, and only names an exec id can have, since the sandbox may write the folder.
   */
  List<Path> leftoverRequests() {
    try (Stream<Path> files = Files.list(execs())) {
      return files
          .filter(f -> LEFTOVER.matcher(f.getFileName().toString()).matches())
          .filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
          .limit(MAX_LEFTOVERS)
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Removes what earlier execs left behind, before the sandbox's init starts again. */
  void clearExecFiles() throws IOException {
    try (Stream<Path> files = Files.list(execs())) {
      for (var file : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(file);
      }
    }
  }

  /** Deletes the whole tree, even folders the sandbox made unwritable. */
  void deleteTree() throws IOException {
    deleteRecursively(root);
  }

  /** Deletes a file or a folder with everything in it, without following links. */
  static void deleteRecursively(Path path) throws IOException {
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      // A sandbox may chmod its folders read-only; its owner (us) can always make them writable.
      path.toFile().setWritable(true, true);
      path.toFile().setExecutable(true, true);
      List<Path> children = new ArrayList<>();
      try (Stream<Path> list = Files.list(path)) {
        list.forEach(children::add);
      }
      for (var child : children) {
        deleteRecursively(child);
      }
    }
    Files.deleteIfExists(path);
  }
}
