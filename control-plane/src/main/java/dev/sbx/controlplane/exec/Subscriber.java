package dev.sbx.controlplane.exec;

/** Receives the events of a sandbox's event log; must never block the publisher. */
public interface Subscriber {

  /**
   * Takes one event.
   *
   * @return false when the subscriber cannot take more; the log then drops it
   */
  boolean offer(ExecEvent event);

  /** The log is gone (its sandbox was deleted); no event will follow. */
  void logClosed();

  /**
   * Whether it has so much taken and not yet sent that reading more output for it is pointless:
   * about {@link EventLog#BEHIND_BYTES}, or half of what it may queue before it is dropped.
   */
  default boolean behind() {
    return false;
  }
}
