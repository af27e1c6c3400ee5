package dev.sbx.controlplane.exec;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One event of an exec, as subscribers receive it.
 *
 * @param sandboxId the sandbox the exec runs in
 * @param execId the exec
 * @param seq position among the exec's events, from 1, without holes
 * @param type {@code start}, {@code output} or {@code exit}
 * @param stream {@code stdout} or {@code stderr} on output events
 * @param data the output text on output events
 * @param exitCode the exit status on exit events (-1 when the exec was lost)
 * @param reason on exit events of lost execs, why it ended without a status
 * @param time when the control plane received it
 */
public record ExecEvent(
    String sandboxId,
    String execId,
    long seq,
    String type,
    @Nullable String stream,
    @Nullable String data,
    @Nullable Integer exitCode,
    @Nullable String reason,
    Instant time) {

  public static final String START = "start";
  public static final String OUTPUT = "output";
  public static final String EXIT = "exit";

  public boolean isExit() {
    return EXIT.equals(type);
  }

  /** The event as the JSON text sent in one WebSocket frame, fields in the original's order. */
  public String toJson() {
    var json = new StringBuilder(96 + (data == null ? 0 : data.length() + data.length() / 8));
    json.append("{\"sandbox_id\":");
    JsonText.quote(json, sandboxId);
    json.append(",\"exec_id\":");
    JsonText.quote(json, execId);
    json.append(",\"seq\":").append(seq).append(",\"type\":");
    JsonText.quote(json, type);
    if (stream != null) {
      json.append(",\"stream\":");
      JsonText.quote(json, stream);
    }
    if (data != null && !data.isEmpty()) {
      json.append(",\"data\":");
      JsonText.quote(json, data);
    }
    if (exitCode != null) {
      json.append(",\"exit_code\":").append(exitCode);
    }
    if (reason != null) {
      json.append(",\"reason\":");
      JsonText.quote(json, reason);
    }
    json.append(",\"time\":\"").append(time).append("\"}");
    return json.toString();
  }
}
