package dev.sbx.controlplane.runtime;

/** Receives what a running command produces. Called from runtime threads. */
public interface ExecListener {

  /** A chunk of output, as bytes; chunks of one stream arrive in order. */
  void output(OutputStreamKind stream, byte[] data, int length);

  /** The command ended (or was lost); called once, after all its output. */
  void finished(ExecOutcome outcome);

  /**
   * Whether the runtime should wait before reading more of the command's output: whoever follows it
   * is far enough behind. A runtime that reads output from a file it keeps may honour it (the file
   * then holds the backlog instead of the heap); the command itself is never slowed.
   */
  default boolean holdOutput() {
    return false;
  }
}
