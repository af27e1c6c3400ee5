package dev.sbx.controlplane.runtime;

/** How a sandbox came to be: claimed from the warm pool, or created for its request. */
public enum LaunchType {
  COLD("cold"),
  WARM("warm");

  private final String wireName;

  LaunchType(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in responses and in the {@code sbx.dev/launch-type} label. */
  public String wireName() {
    return wireName;
  }
}
