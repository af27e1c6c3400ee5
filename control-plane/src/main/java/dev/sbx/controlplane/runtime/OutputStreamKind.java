package dev.sbx.controlplane.runtime;

/** Which of a command's output streams a chunk came from. */
public enum OutputStreamKind {
  STDOUT("stdout"),
  STDERR("stderr");

  private final String wireName;

  OutputStreamKind(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in events and responses. */
  public String wireName() {
    return wireName;
  }
}
