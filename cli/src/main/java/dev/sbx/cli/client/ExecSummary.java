package dev.sbx.cli.client;

import java.util.ArrayList;
import java.util.List;

/**
 * One exec as {@code GET /sandboxes/{id}/execs} lists it.
 *
 * @param execId its id
 * @param status running, completed, ...
 * @param exitCode its exit code as text, "" while it runs
 * @param startedAt RFC 3339, or null
 * @param finishedAt RFC 3339, or null while it runs
 * @param command its argv
 */
public record ExecSummary(
    String execId,
    String status,
    String exitCode,
    String startedAt,
    String finishedAt,
    List<String> command) {

  public boolean running() {
    return "running".equals(status);
  }

  /** The execs of a {@code GET /sandboxes/{id}/execs} answer. */
  public static List<ExecSummary> listOf(String json) {
    var execs = new ArrayList<ExecSummary>();
    for (var item : Answers.items(json, "execs")) {
      execs.add(
          new ExecSummary(
              Answers.text(item, "exec_id"),
              Answers.text(item, "status"),
              Answers.text(item, "exit_code"),
              Answers.string(item, "started_at"),
              Answers.string(item, "finished_at"),
              Answers.texts(item, "command")));
    }
    return execs;
  }
}
