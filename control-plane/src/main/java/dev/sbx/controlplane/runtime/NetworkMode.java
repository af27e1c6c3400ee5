package dev.sbx.controlplane.runtime;

import java.util.Locale;

/** What a sandbox may reach through the egress proxy, before host lists and forbidden ranges. */
public enum NetworkMode {
  /** Nothing: the sandbox has its loopback only. */
  NONE,
  /** Only the hosts its {@code allowed_hosts} name. */
  ALLOWLIST,
  /** Every public address. */
  OPEN;

  /** The name users write: {@code none}, {@code allowlist}, {@code open}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException naming the choices when the text is none of them
   */
  public static NetworkMode parse(String text) {
    for (var mode : values()) {
      if (mode.value().equals(text)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("\"" + text + "\" is not one of none, allowlist, open");
  }
}
