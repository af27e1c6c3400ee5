package dev.sbx.controlplane.runtime.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The folder that holds one local sandbox: its files and metadata. The folder is the source of
 * truth, so a restarted control plane finds every sandbox again.
 *
 * <pre>
 * sandbox.json   metadata (id, created_at, env, host lists)
 * last-exec      its modification time is when a command last started or ended
 * workspace/     /workspace, the sandbox's working folder
 * cache/         /cache
 * home/          /home/sandbox
 * tmp/           /tmp
 * etc/           passwd, group, hosts and hostname made for the sandbox
 * run/init       the sandbox's first process (sbx-init.sh), read-only inside
 * run/x/         exec requests and output, shared with sbx-init
 * init.log       what bwrap and sbx-init wrote on stderr
 * bwrap.args     bwrap's options, read through a descriptor so that they do not show inside
 * </pre>
 */
record SandboxFolder(Path root) {

  private static final int LOG_TAIL = 2000;
  private static final int MAX_LEFTOVERS = 64;
  private static final java.util.regex.Pattern LEFTOVER =
      java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}\\.req");

  static final String METADATA = "sandbox.json";

  Path metadata() {
    return root.resolve(METADATA);
  }

  Path workspace() {
    return root.resolve("workspace");
  }

  Path cache() {
    return root.resolve("cache");
  }

  Path home() {
    return root.resolve("home");
  }

  Path tmp() {
    return root.resolve("tmp");
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
    return run().resolve("x");
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

  void createLayout() throws IOException {
    for (var dir : writableFolders()) {
      Files.createDirectories(dir);
    }
    Files.createDirectories(etc());
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
      return Files.getLastModifiedTime(lastExecMarker())
          .toInstant()
          .truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
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
          .filter(f -> Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS))
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

  private static void deleteRecursively(Path path) throws IOException {
    if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
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
