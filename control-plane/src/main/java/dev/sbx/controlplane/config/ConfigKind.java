package dev.sbx.controlplane.config;

/** How a {@link ConfigKey}'s value is written and checked. */
public enum ConfigKind {
  TEXT,
  CHOICE,
  BOOL,
  POSITIVE_INT,
  NON_NEGATIVE_INT,
  DURATION,
  SIZE,
  LIST,
  MAP,
  /** A CPU quantity (1, 0.5, 500m), or none. */
  CPU_LIMIT,
  /** A size (512Mi, 1Gi, 2G), or none. */
  BYTES_LIMIT,
  /** A whole number of at least 1, or none. */
  COUNT_LIMIT
}
