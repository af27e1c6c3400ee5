package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.runtime.OutputStreamKind;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One event of an exec, as subscribers receive it: {@link Start}, {@link Output}, {@link Exit}, or
 * {@link Gap} (events that are gone). Each kind writes its own JSON, fields in the original's order
 * (sandbox_id, exec_id, seq, type, then the kind's own, then time).
 */
public sealed interface ExecEvent
    permits ExecEvent.Start, ExecEvent.Output, ExecEvent.Exit, ExecEvent.Gap {

  /** The sandbox the exec runs in. */
  String sandboxId();

  /** The exec. */
  String execId();

  /** Position among the exec's events, from 1, without holes (0 on gap events). */
  long seq();

  /** When the control plane received it. */
  Instant time();

  /** The event's {@code type} on the wire. */
  String type();

  /** Whether this is the exec's last event. */
  default boolean isExit() {
    return false;
  }

  /** Roughly what the event costs in memory, to bound the event log in bytes. */
  default long weight() {
    return 128;
  }

  /** The event as the JSON text sent in one WebSocket frame. */
  default String toJson() {
    return json().toString();
  }

  /** {@link #toJson()} before it becomes a {@code String}, for writing it out without a copy. */
  JsonText json();

  // The factories stamp the time the control plane received the event; their parameter lists
  // repeat the records' components on purpose (the duplicates tool reports the pair).
  static Start start(String sandboxId, String execId, long seq) {
    return new Start(sandboxId, execId, seq, Instant.now());
  }

  // Output's components again, less the time it stamps (the duplicates tool reports the pair).
  static Output output(
      String sandboxId,
      String execId,
      long seq,
      OutputStreamKind stream,
      String data,
      boolean base64,
      long offset) {
    return new Output(sandboxId, execId, seq, stream, data, base64, offset, Instant.now());
  }

  static Exit exit(
      String sandboxId,
      String execId,
      long seq,
      int exitCode,
      ExecStatus status,
      @Nullable String reason,
      @Nullable String signal) {
    return new Exit(sandboxId, execId, seq, exitCode, status, reason, signal, Instant.now());
  }

  static Gap gap(String sandboxId, String execId, long fromSeq, long toSeq) {
    return gap(sandboxId, execId, fromSeq, toSeq, -1);
  }

  static Gap gap(String sandboxId, String execId, long fromSeq, long toSeq, long droppedBytes) {
    return new Gap(sandboxId, execId, fromSeq, toSeq, droppedBytes, Instant.now());
  }

  /** The exec started. */
  record Start(String sandboxId, String execId, long seq, Instant time) implements ExecEvent {
    @Override
    public String type() {
      return "start";
    }

    @Override
    public JsonText json() {
      return ExecEvent.head(this, 0).end(time);
    }
  }

  /**
   * A chunk of output.
   *
   * @param data text, or base64 when {@code base64}
   * @param base64 whether data is base64 (output that is not UTF-8)
   * @param offset where its bytes start in the exec's stream (-1: not known)
   */
  record Output(
      String sandboxId,
      String execId,
      long seq,
      OutputStreamKind stream,
      String data,
      boolean base64,
      long offset,
      Instant time)
      implements ExecEvent {
    @Override
    public String type() {
      return "output";
    }

    @Override
    public long weight() {
      return 128 + 2L * data.length();
    }

    @Override
    public JsonText json() {
      var json = ExecEvent.head(this, data.length() + data.length() / 8);
      json.append(",\"stream\":\"").append(stream.wireName()).append('"');
      if (offset >= 0) {
        json.append(",\"offset\":").append(offset);
      }
      if (!data.isEmpty()) {
        json.append(",\"data\":").quote(data);
        if (base64) {
          json.append(",\"encoding\":\"base64\"");
        }
      }
      return json.end(time);
    }
  }

  /**
   * The exec ended; always its last event.
   *
   * @param exitCode the exit status (-1 when unknown)
   * @param status how the exec ended
   * @param reason why it ended when it did not simply exit
   * @param signal the name of the signal that ended it (e.g. SIGKILL)
   */
  record Exit(
      String sandboxId,
      String execId,
      long seq,
      int exitCode,
      ExecStatus status,
      @Nullable String reason,
      @Nullable String signal,
      Instant time)
      implements ExecEvent {
    @Override
    public String type() {
      return "exit";
    }

    @Override
    public boolean isExit() {
      return true;
    }

    @Override
    public JsonText json() {
      var json = ExecEvent.head(this, 0);
      json.append(",\"exit_code\":").append(exitCode);
      json.append(",\"status\":\"").append(status.wireName()).append('"');
      if (reason != null) {
        json.append(",\"reason\":").quote(reason);
      }
      if (signal != null) {
        json.append(",\"signal\":").quote(signal);
      }
      return json.end(time);
    }
  }

  /**
   * Events a subscriber asked for that are no longer buffered.
   *
   * @param fromSeq the first seq that is gone
   * @param toSeq the last seq that is gone
   * @param droppedBytes output bytes of this exec the store dropped to stay in its budget (-1: not
   *     known, e.g. events published before a restart)
   */
  record Gap(
      String sandboxId, String execId, long fromSeq, long toSeq, long droppedBytes, Instant time)
      implements ExecEvent {
    @Override
    public long seq() {
      return 0;
    }

    @Override
    public String type() {
      return "gap";
    }

    @Override
    public JsonText json() {
      var json = new JsonText(160);
      json.append("{\"sandbox_id\":").quote(sandboxId);
      json.append(",\"exec_id\":").quote(execId);
      json.append(",\"type\":\"gap\"");
      json.append(",\"from_seq\":").append(fromSeq).append(",\"to_seq\":").append(toSeq);
      if (droppedBytes >= 0) {
        json.append(",\"dropped_bytes\":").append(droppedBytes);
      }
      return json.end(time);
    }
  }

  /** The members every numbered event starts with; {@code extra} sizes the buffer for data. */
  private static JsonText head(ExecEvent event, int extra) {
    var json = new JsonText(160 + extra);
    json.append("{\"sandbox_id\":").quote(event.sandboxId());
    json.append(",\"exec_id\":").quote(event.execId());
    json.append(",\"seq\":").append(event.seq());
    return json.append(",\"type\":\"").append(event.type()).append('"');
  }
}
