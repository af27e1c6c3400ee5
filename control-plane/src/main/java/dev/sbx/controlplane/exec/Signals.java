package dev.sbx.controlplane.exec;

import org.jspecify.annotations.Nullable;

/** Names of the signals a shell-style exit status 128+N points at. */
final class Signals {

  private static final String[] NAMES = {
    null,
    "SIGHUP",
    "SIGINT",
    "SIGQUIT",
    "SIGILL",
    "SIGTRAP",
    "SIGABRT",
    "SIGBUS",
    "SIGFPE",
    "SIGKILL",
    "SIGUSR1",
    "SIGSEGV",
    "SIGUSR2",
    "SIGPIPE",
    "SIGALRM",
    "SIGTERM",
    "SIGSTKFLT",
    "SIGCHLD",
    "SIGCONT",
    "SIGSTOP",
    "SIGTSTP",
    "SIGTTIN",
    "SIGTTOU",
    "SIGURG",
    "SIGXCPU",
    "SIGXFSZ",
    "SIGVTALRM",
    "SIGPROF",
    "SIGWINCH",
    "SIGIO",
    "SIGPWR",
    "SIGSYS"
  };

  private Signals() {}

  /** The signal an exit status of 128+N reports, or null when it reports none. */
  static @Nullable String name(int exitStatus) {
    int signal = exitStatus - 128;
    return signal > 0 && signal < NAMES.length ? NAMES[signal] : null;
  }
}
