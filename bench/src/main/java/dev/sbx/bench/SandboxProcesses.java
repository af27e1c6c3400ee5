package dev.sbx.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Finds a local sandbox's processes on the host, by its folder in the state folder. */
final class SandboxProcesses {

  private SandboxProcesses() {}

  /**
   * The host pid of {@code /bin/bash /run/sbx/init}, the sandbox's first process: the child of the
   * pid-namespace init, which is the child of the bwrap whose arguments name the sandbox's folder.
   */
  static long init(Path sandboxFolder) throws IOException {
    var folder = sandboxFolder.toString() + "/";
    var bwrap =
        ProcessHandle.allProcesses()
            .filter(p -> isBwrapOf(p.pid(), folder))
            .filter(p -> p.parent().map(parent -> !isBwrapOf(parent.pid(), folder)).orElse(true))
            .findFirst()
            .orElseThrow(() -> new IOException("no bwrap process for " + sandboxFolder));
    var namespaceInit = onlyChild(bwrap, "bwrap");
    var init = onlyChild(namespaceInit, "init");
    var cmdline = ProcStat.cmdline(init.pid());
    if (!cmdline.endsWith("/run/sbx/init")) {
      throw new IOException("pid " + init.pid() + " is not sbx-init: " + cmdline);
    }
    return init.pid();
  }

  private static boolean isBwrapOf(long pid, String folder) {
    var cmdline = ProcStat.cmdline(pid);
    return cmdline.contains("bwrap ") && cmdline.contains(folder);
  }

  private static ProcessHandle onlyChild(ProcessHandle parent, String what) throws IOException {
    Optional<ProcessHandle> child = parent.children().findFirst();
    return child.orElseThrow(
        () -> new IOException("no " + what + " process under pid " + parent.pid()));
  }
}
