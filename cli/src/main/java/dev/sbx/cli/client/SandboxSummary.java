package dev.sbx.cli.client;

import java.util.ArrayList;
import java.util.List;

/**
 * One sandbox as {@code GET /sandboxes} lists it.
 *
 * @param id the full id, {@code sbx-...}
 * @param phase its runtime's state: Running, Pending, ...
 * @param runtime local or kubernetes
 * @param createdAt RFC 3339, or null
 * @param lastExecAt RFC 3339, or null when nothing ran yet
 */
public record SandboxSummary(
    String id, String phase, String runtime, String createdAt, String lastExecAt) {

  /** The sandboxes of a {@code GET /sandboxes} answer. */
  public static List<SandboxSummary> listOf(String json) {
    var sandboxes = new ArrayList<SandboxSummary>();
    for (var item : Answers.items(json, "sandboxes")) {
      sandboxes.add(
          new SandboxSummary(
              Answers.text(item, "id"),
              Answers.text(item, "phase"),
              Answers.text(item, "runtime"),
              Answers.string(item, "created_at"),
              Answers.string(item, "last_exec_at")));
    }
    return sandboxes;
  }
}
