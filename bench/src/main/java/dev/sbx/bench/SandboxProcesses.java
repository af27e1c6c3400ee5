package dev.sbx.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds a local sandbox's processes on the host, by its folder in the state folder. */
final class SandboxProcesses {

  private SandboxProcesses() {}

  /**
   * The host pid of sbx-init, the sandbox's first process: a child of bwrap running {@code
   * /run/sbx-init} (or the script {@code /run/sbx/init} when built without a C compiler), whose
   * mounts come from the sandbox's folder. (bwrap's own command line names no folder: it reads its
   * options from a descriptor.)
   */
  static long init(Path sandboxFolder) throws IOException {
    // mountinfo shows each source relative to its file system's root: match the sandbox's id.
    var folder = "/" + sandboxFolder.getFileName() + "/";
    return ProcessHandle.allProcesses()
        .filter(
            p -> {
              var cmdline = ProcStat.cmdline(p.pid());
              return cmdline.equals("/run/sbx-init") || cmdline.endsWith("/run/sbx/init");
            })
        .filter(p -> p.parent().map(parent -> isBwrap(parent.pid())).orElse(false))
        .filter(p -> mountsFrom(p.pid(), folder))
        .findFirst()
        .orElseThrow(() -> new IOException("no sbx-init process for " + sandboxFolder))
        .pid();
  }

  private static boolean isBwrap(long pid) {
    var cmdline = ProcStat.cmdline(pid);
    return cmdline.startsWith("bwrap ") || cmdline.contains("/bwrap ");
  }

  private static boolean mountsFrom(long pid, String folder) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), "mountinfo")).contains(folder);
    } catch (IOException e) {
      return false;
    }
  }
}
