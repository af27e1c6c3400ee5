package dev.sbx.controlplane.runtime.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Writes and reads what a sandbox's folder holds besides the sandbox's own files. */
final class SandboxFiles {

  private static final Logger logger = LoggerFactory.getLogger(SandboxFiles.class);
  private static final String INIT_SCRIPT = "sbx-init.sh";

  private final JsonMapper json;
  private final byte[] initScript;

  SandboxFiles(JsonMapper json) {
    this(json, defaultInitScript());
  }

  /**
   * The {@code /etc} files every sandbox gets instead of the host's: its one user, its groups, its
   * name. The same for all, so the copy of {@code /etc} ({@link EtcView}) holds them too.
   */
  static final Map<String, String> ETC_FILES =
      Map.of(
          "passwd",
          "root:x:0:0:root:/root:/usr/sbin/nologin\n"
              + BwrapCommand.SANDBOX_USER
              + ":x:"
              + BwrapCommand.SANDBOX_UID
              + ":"
              + BwrapCommand.SANDBOX_UID
              + ":sandbox:"
              + BwrapCommand.HOME
              + ":/bin/bash\n"
              + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
          "group",
          "root:x:0:\n"
              + BwrapCommand.SANDBOX_USER
              + ":x:"
              + BwrapCommand.SANDBOX_UID
              + ":\nnogroup:x:65534:\n",
          "hosts",
          "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t"
              + BwrapCommand.HOSTNAME
              + "\n",
          "hostname",
          BwrapCommand.HOSTNAME + "\n");

  /**
   * @param initScript the script sandboxes start with (tests give a misbehaving one)
   */
  SandboxFiles(JsonMapper json, byte[] initScript) {
    this.json = json;
    this.initScript = initScript.clone();
  }

  /** sbx-init.sh, as this control plane ships it. */
  static byte[] defaultInitScript() {
    try (InputStream in = SandboxFiles.class.getResourceAsStream(INIT_SCRIPT)) {
      return in.readAllBytes();
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException(INIT_SCRIPT + " is missing from the control plane", e);
    }
  }

  /** Puts this control plane's sbx-init in a sandbox found at start-up, made by an older one. */
  void refreshInit(SandboxFolder folder) throws IOException {
    Files.write(folder.initScript(), initScript);
  }

  /** Lays out a new sandbox's folder. */
  void prepare(SandboxFolder folder, SandboxMetadata metadata) throws IOException {
    folder.createLayout();
    for (var file : ETC_FILES.entrySet()) {
      Files.writeString(folder.etc().resolve(file.getKey()), file.getValue());
    }
    Files.write(folder.initScript(), initScript);
    folder.writeAtomically(folder.metadata(), json.writeValueAsString(metadata));
    var user = metadata.user();
    if (user != null) {
      handOver(folder, user);
    }
  }

  /** Replaces a sandbox's metadata, atomically. */
  void save(SandboxFolder folder, SandboxMetadata metadata) throws IOException {
    folder.writeAtomically(folder.metadata(), json.writeValueAsString(metadata));
  }

  /** The metadata of every sandbox in the state folder; unreadable ones are skipped, loudly. */
  List<SandboxMetadata> findAll(StateFolder state) {
    var found = new ArrayList<SandboxMetadata>();
    try (Stream<Path> entries = Files.list(state.root())) {
      for (var dir : (Iterable<Path>) entries::iterator) {
        var file = dir.resolve(SandboxFolder.METADATA);
        if (!Files.isRegularFile(file)) {
          continue;
        }
        try {
          var metadata = json.readValue(file.toFile(), SandboxMetadata.class);
          if (metadata.id().equals(dir.getFileName().toString())) {
            found.add(metadata);
          }
        } catch (JacksonException e) {
          logger.warn("skipping {}: its {} cannot be read: {}", dir, file, e.getOriginalMessage());
        }
      }
    } catch (IOException e) {
      logger.warn("cannot list sandboxes in {}: {}", state.root(), e.toString());
    }
    return found;
  }

  // Root runs sandboxes as an unprivileged user, which must own what the sandbox writes to and
  // be able to pass through the rest; everything else stays root's and read-only to it.
  private static void handOver(SandboxFolder folder, HostUser user) throws IOException {
    Files.setPosixFilePermissions(folder.root(), PosixFilePermissions.fromString("rwx--x--x"));
    for (var dir : folder.writableFolders()) {
      Files.setAttribute(dir, "unix:uid", user.uid());
      Files.setAttribute(dir, "unix:gid", user.gid());
    }
  }

  /**
   * Gives everything the sandbox wrote to its new host user, when a restart had to give it another
   * uid (an older sandbox that ran as a shared one, or its uid taken meanwhile). Nothing of it runs
   * now, and links are changed themselves, never followed.
   */
  static void handOverAll(SandboxFolder folder, HostUser user) throws IOException {
    handOver(folder, user);
    for (var dir : folder.writableFolders()) {
      try (var tree = Files.walk(dir)) {
        for (var path : (Iterable<Path>) tree::iterator) {
          Files.setAttribute(path, "unix:uid", user.uid(), LinkOption.NOFOLLOW_LINKS);
          Files.setAttribute(path, "unix:gid", user.gid(), LinkOption.NOFOLLOW_LINKS);
        }
      }
    }
  }
}
