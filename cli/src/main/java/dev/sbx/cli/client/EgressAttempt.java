package dev.sbx.cli.client;

import java.util.ArrayList;
import java.util.List;

/**
 * One connection attempt as {@code GET /sandboxes/{id}/egress} lists it; numbers as their text.
 *
 * @param time RFC 3339, or null
 * @param method the HTTP method of a forwarded plain-HTTP request, "" for a tunnel
 * @param host the host asked for
 * @param port the port asked for
 * @param address the address connected to, or null when there was none
 * @param decision allowed, denied or failed
 * @param bytesSent bytes the sandbox sent
 * @param bytesReceived bytes it received
 * @param durationMs how long the connection was open, or null
 * @param open whether it still is
 * @param reason why, in a word
 */
public record EgressAttempt(
    String time,
    String method,
    String host,
    String port,
    String address,
    String decision,
    String bytesSent,
    String bytesReceived,
    Long durationMs,
    boolean open,
    String reason) {

  /** The attempts of a {@code GET /sandboxes/{id}/egress} answer. */
  public static List<EgressAttempt> listOf(String json) {
    var attempts = new ArrayList<EgressAttempt>();
    for (var item : Answers.items(json, "attempts")) {
      attempts.add(
          new EgressAttempt(
              Answers.string(item, "time"),
              Answers.text(item, "method"),
              Answers.text(item, "host"),
              Answers.text(item, "port"),
              item.get("address") == null ? null : Answers.text(item, "address"),
              Answers.text(item, "decision"),
              Answers.text(item, "bytes_sent"),
              Answers.text(item, "bytes_received"),
              item.get("duration_ms") instanceof Number ms ? ms.longValue() : null,
              Boolean.TRUE.equals(item.get("open")),
              Answers.text(item, "reason")));
    }
    return attempts;
  }
}
