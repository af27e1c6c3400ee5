package dev.sbx.controlplane.files;

import java.util.ArrayList;
import java.util.List;

/**
 * The commands each file operation runs inside the sandbox: POSIX sh and coreutils, so that they
 * run in any image. They set their own PATH, so that programs the sandbox put first on its PATH do
 * not stand in for them, and the C locale, so that errors read the same everywhere. Where a tool's
 * message would be ambiguous they say what went wrong themselves, as {@code sbx:<problem>} on
 * stderr.
 */
final class FileHelpers {

  private static final String PRELUDE = "export LC_ALL=C PATH=/usr/bin:/bin:/usr/sbin:/sbin; ";

  /**
   * Writes the framed body on stdin (see {@link FramedInput}) to a temporary file next to the
   * target and renames it into place once the last frame came, so that a failed upload leaves
   * nothing at the path. Prints 1 when it replaced a file, 0 when it made one.
   */
  private static final String PUT =
      PRELUDE
          + "p=$1; mode=$2; noclobber=$3; "
          + "if [ -d \"$p\" ]; then echo sbx:is-a-directory >&2; exit 90; fi; "
          + "if [ \"$noclobber\" = 1 ] && { [ -e \"$p\" ] || [ -L \"$p\" ]; }; then"
          + " echo sbx:exists >&2; exit 90; fi; "
          + "d=$(dirname -- \"$p\"); "
          + "if [ -e \"$d\" ] && [ ! -d \"$d\" ]; then echo sbx:not-a-directory >&2; exit 90; fi; "
          + "mkdir -p -- \"$d\" || exit 91; "
          // The traps before the temporary file: a TERM between the two would leave it behind.
          + "t=; trap '[ -z \"$t\" ] || rm -f -- \"$t\"' EXIT; trap 'exit 143' TERM INT; "
          + "t=$(mktemp -- \"$d/.sbx-upload.XXXXXX\") || exit 91; "
          + "while IFS= read -r n; do"
          + " case $n in 0) break;; *[!0-9]*|'') exit 92;; esac;"
          + " dd bs=65536 iflag=count_bytes,fullblock count=\"$n\" status=none >&3 || exit 91;"
          + " done 3>\"$t\"; "
          + "[ \"$n\" = 0 ] || { echo sbx:body-broke-off >&2; exit 92; }; "
          + "chmod -- \"$mode\" \"$t\" || exit 91; "
          + "existed=0; if [ -e \"$p\" ]; then existed=1; fi; "
          + "if [ \"$noclobber\" = 1 ]; then"
          + " ln -- \"$t\" \"$p\" 2>/dev/null || { echo sbx:exists >&2; exit 90; };"
          + " else mv -f -- \"$t\" \"$p\" || exit 91; fi; "
          + "echo $existed";

  /** Prints the type and size of what a path leads to, and checks it can be read. */
  private static final String STAT =
      PRELUDE
          + "p=$1; s=$(stat -L -c '%F|%s|%d:%i:%Y' -- \"$p\") || exit 91; "
          + "case $s in directory*) echo sbx:is-a-directory >&2; exit 90;; esac; "
          + "[ -r \"$p\" ] || { echo \"$p: Permission denied\" >&2; exit 91; }; "
          + "echo \"$s\"";

  /**
   * Copies {@code count} bytes from {@code skip} on to stdout, from the file {@link #STAT} saw (its
   * device, inode and mtime): a path swapped or rewritten in between is refused, not mixed.
   */
  private static final String READ =
      PRELUDE
          + "exec 3< \"$1\" || exit 91; "
          + "[ \"$(stat -L -c '%d:%i:%Y' /dev/fd/3)\" = \"$4\" ] || { echo sbx:changed >&2; exit 93; }; "
          + "exec dd bs=65536 iflag=skip_bytes,count_bytes skip=\"$2\" count=\"$3\" status=none <&3";

  /** One entry per file, each field ending with a NUL: type, size, mode, mtime, target, path. */
  private static final String LIST =
      PRELUDE
          + "p=$1; depth=$2; "
          + "if [ ! -e \"$p\" ] && [ ! -L \"$p\" ]; then echo sbx:not-found >&2; exit 90; fi; "
          + "if [ -d \"$p\" ]; then min=1; else min=0; fi; "
          + "exec find -H \"$p\" -mindepth $min $depth"
          + " -printf '%y\\0%s\\0%m\\0%T@\\0%l\\0%p\\0'";

  private static final String DELETE =
      PRELUDE
          + "p=$1; recursive=$2; "
          + "if [ ! -e \"$p\" ] && [ ! -L \"$p\" ]; then echo sbx:not-found >&2; exit 90; fi; "
          + "if [ -d \"$p\" ] && [ ! -L \"$p\" ]; then"
          + " if [ \"$recursive\" = 1 ]; then rm -rf -- \"$p\" || exit 91;"
          + " else rmdir -- \"$p\" || exit 91; fi;"
          + " else rm -f -- \"$p\" || exit 91; fi";

  /** The frames of {@link FramedInput} on stdin, written to stdout, so that a pipe can follow. */
  private static final String UNFRAME =
      "while IFS= read -r n; do"
          + " case $n in 0) break;; *[!0-9]*|'') exit 92;; esac;"
          + " dd bs=65536 iflag=count_bytes,fullblock count=\"$n\" status=none || exit 91;"
          + " done; "
          + "[ \"$n\" = 0 ] || { echo sbx:body-broke-off >&2; exit 92; }";

  /** Extracts a checked tar (see {@link ArchiveCheck}) under the folder, made if need be. */
  private static final String EXTRACT =
      PRELUDE
          + "d=$1; "
          + "if [ -e \"$d\" ] && [ ! -d \"$d\" ]; then echo sbx:not-a-directory >&2; exit 90; fi; "
          + "mkdir -p -- \"$d\" || exit 91; "
          + "{ "
          + UNFRAME
          + "; } | tar -x -C \"$d\" --no-same-owner -f - || exit 91";

  /** Checks that a folder exists before its archive is streamed. */
  private static final String FOLDER =
      PRELUDE
          + "d=$1; "
          + "if [ -d \"$d\" ]; then [ -r \"$d\" ] && [ -x \"$d\" ] && exit 0;"
          + " echo \"$d: Permission denied\" >&2; exit 91; fi; "
          + "if [ -e \"$d\" ]; then echo sbx:not-a-directory >&2; else echo sbx:not-found >&2; fi;"
          + " exit 90";

  /** The folder's content as a tar on stdout. */
  private static final String ARCHIVE = PRELUDE + "cd -- \"$1\" && exec tar -cf - .";

  private FileHelpers() {}

  static List<String> put(String path, String mode, boolean noClobber) {
    return sh(PUT, "sbx-put", path, mode, noClobber ? "1" : "0");
  }

  static List<String> stat(String path) {
    return sh(STAT, "sbx-stat", path);
  }

  static List<String> read(String path, long skip, long count, String identity) {
    return sh(READ, "sbx-read", path, Long.toString(skip), Long.toString(count), identity);
  }

  static List<String> list(String path, boolean recursive) {
    return sh(LIST, "sbx-list", path, recursive ? "" : "-maxdepth 1");
  }

  static List<String> delete(String path, boolean recursive) {
    return sh(DELETE, "sbx-delete", path, recursive ? "1" : "0");
  }

  static List<String> extract(String folder) {
    return sh(EXTRACT, "sbx-extract", folder);
  }

  static List<String> folder(String folder) {
    return sh(FOLDER, "sbx-folder", folder);
  }

  static List<String> archive(String folder) {
    return sh(ARCHIVE, "sbx-archive", folder);
  }

  private static List<String> sh(String script, String name, String... args) {
    var command = new ArrayList<String>(List.of("/bin/sh", "-c", script, name));
    command.addAll(List.of(args));
    return List.copyOf(command);
  }
}
