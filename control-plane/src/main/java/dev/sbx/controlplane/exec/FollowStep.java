package dev.sbx.controlplane.exec;

import org.jspecify.annotations.Nullable;

/** What an exec's follower gets next from its {@link EventLog}: an event, or one to read. */
public sealed interface FollowStep permits FollowStep.Ready, FollowStep.Kept, FollowStep.Closed {

  /** An event ready to send. */
  record Ready(ExecEvent event) implements FollowStep {}

  /** A kept output event, to read from the store without holding the log. */
  record Kept(StoredOutput output, long seq) implements FollowStep {
    /** The event, or null when it was dropped meanwhile (ask the log again). */
    public ExecEvent.@Nullable Output event() {
      return output.event(seq);
    }

    /** Its exact bytes, or null when it was dropped meanwhile. */
    public @Nullable OutputChunk chunk() {
      return output.chunk(seq);
    }
  }

  /** The sandbox was deleted and the exec's end is not known: nothing more will come. */
  record Closed() implements FollowStep {}
}
