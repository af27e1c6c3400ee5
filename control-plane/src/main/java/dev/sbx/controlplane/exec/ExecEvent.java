package dev.sbx.controlplane.exec;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One event of an exec, as subscribers receive it.
 *
 * @param sandboxId the sandbox the exec runs in
 * @param execId the exec
 * @param seq position among the exec's events, from 1, without holes (0 on gap events)
 * @param type {@code start}, {@code output}, {@code exit}, or {@code gap} (events that are gone)
 * @param stream {@code stdout} or {@code stderr} on output events
 * @param data the output on output events: text, or base64 when {@code base64}
 * @param base64 whether data is base64 (output that is not UTF-8)
 * @param exitCode on exit events, the exit status (-1 when unknown)
 * @param status on exit events, how the exec ended
 * @param reason on exit events, why it ended when it did not simply exit
 * @param signal on exit events of execs a signal ended, its name (e.g. SIGKILL)
 * @param gapTo on gap events, the last seq that is gone (the first is {@code gapFrom})
 * @param gapFrom on gap events, the first seq that is gone
 * @param time when the control plane received it
 */
public record ExecEvent(
    String sandboxId,
    String execId,
    long seq,
    String type,
    @Nullable String stream,
    @Nullable String data,
    boolean base64,
    @Nullable Integer exitCode,
    @Nullable ExecStatus status,
    @Nullable String reason,
    @Nullable String signal,
    long gapFrom,
    long gapTo,
    Instant time) {

  public static final String START = "start";
  public static final String OUTPUT = "output";
  public static final String EXIT = "exit";
  public static final String GAP = "gap";

  static ExecEvent start(String sandboxId, String execId, long seq) {
    return new ExecEvent(
        sandboxId,
        execId,
        seq,
        START,
        null,
        null,
        false,
        null,
        null,
        null,
        null,
        0,
        0,
        Instant.now());
  }

  static ExecEvent output(
      String sandboxId, String execId, long seq, String stream, String data, boolean base64) {
    return new ExecEvent(
        sandboxId,
        execId,
        seq,
        OUTPUT,
        stream,
        data,
        base64,
        null,
        null,
        null,
        null,
        0,
        0,
        Instant.now());
  }

  static ExecEvent exit(
      String sandboxId,
      String execId,
      long seq,
      int exitCode,
      ExecStatus status,
      @Nullable String reason,
      @Nullable String signal) {
    return new ExecEvent(
        sandboxId,
        execId,
        seq,
        EXIT,
        null,
        null,
        false,
        exitCode,
        status,
        reason,
        signal,
        0,
        0,
        Instant.now());
  }

  static ExecEvent gap(String sandboxId, String execId, long from, long to) {
    return new ExecEvent(
        sandboxId,
        execId,
        0,
        GAP,
        null,
        null,
        false,
        null,
        null,
        null,
        null,
        from,
        to,
        Instant.now());
  }

  public boolean isExit() {
    return EXIT.equals(type);
  }

  /** Roughly what the event costs in memory, to bound the event log in bytes. */
  public long weight() {
    return 128 + (data == null ? 0 : 2L * data.length());
  }

  /** The event as the JSON text sent in one WebSocket frame, fields in the original's order. */
  public String toJson() {
    return json().toString();
  }

  /** {@link #toJson()} before it becomes a {@code String}, for writing it out without a copy. */
  public JsonText json() {
    var json = new JsonText(160 + (data == null ? 0 : data.length() + data.length() / 8));
    json.append("{\"sandbox_id\":").quote(sandboxId);
    json.append(",\"exec_id\":").quote(execId);
    if (!GAP.equals(type)) {
      json.append(",\"seq\":").append(seq);
    }
    json.append(",\"type\":").quote(type);
    if (stream != null) {
      json.append(",\"stream\":").quote(stream);
    }
    if (data != null && !data.isEmpty()) {
      json.append(",\"data\":").quote(data);
      if (base64) {
        json.append(",\"encoding\":\"base64\"");
      }
    }
    if (exitCode != null) {
      json.append(",\"exit_code\":").append(exitCode.longValue());
    }
    if (status != null) {
      json.append(",\"status\":\"").append(status.wireName()).append('"');
    }
    if (reason != null) {
      json.append(",\"reason\":").quote(reason);
    }
    if (signal != null) {
      json.append(",\"signal\":").quote(signal);
    }
    if (GAP.equals(type)) {
      json.append(",\"from_seq\":").append(gapFrom).append(",\"to_seq\":").append(gapTo);
    }
    return json.append(",\"time\":\"").append(time.toString()).append("\"}");
  }
}
