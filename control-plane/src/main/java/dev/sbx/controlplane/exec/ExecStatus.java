package dev.sbx.controlplane.exec;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where an exec is in its life. */
public enum ExecStatus {
  /** Started and not ended yet. */
  RUNNING,
  /** It exited by itself, whatever its exit code. */
  COMPLETED,
  /** It could not start. */
  FAILED,
  /** Stopped by a cancel request. */
  CANCELED,
  /** Stopped because its timeout passed. */
  TIMED_OUT,
  /** It ended without a known status: its sandbox or the control plane went away. */
  LOST;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
