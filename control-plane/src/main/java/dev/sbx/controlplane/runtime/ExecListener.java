package dev.sbx.controlplane.runtime;

/** Receives what a running command produces. Called from runtime threads. */
public interface ExecListener {

  /** A chunk of output, as bytes; chunks of one stream arrive in order. */
  void output(OutputStreamKind stream, byte[] data, int length);

  /** The command ended (or was lost); called once, after all its output. */
  void finished(ExecOutcome outcome);
}
