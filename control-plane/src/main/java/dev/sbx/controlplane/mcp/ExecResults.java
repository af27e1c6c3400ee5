package dev.sbx.controlplane.mcp;

import dev.sbx.controlplane.exec.ExecService;
import dev.sbx.controlplane.exec.ExecView;
import dev.sbx.controlplane.exec.OutputDroppedException;
import dev.sbx.controlplane.exec.OutputSlice;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An exec's fields as the REST API names them, and its output within a budget: a stream longer than
 * the budget keeps its start and its end, where a model finds the command line and the error, and
 * says in the middle how much was left out and how to read it.
 */
final class ExecResults {

  private final ExecService execs;

  ExecResults(ExecService execs) {
    this.execs = execs;
  }

  static Map<String, Object> fields(ExecView view) {
    var fields = new LinkedHashMap<String, Object>();
    fields.put("exec_id", view.execId());
    fields.put("sandbox_id", view.sandboxId());
    fields.put("status", view.status().wireName());
    fields.put("exit_code", view.exitCode());
    fields.put("reason", view.reason());
    return fields;
  }

  /** Adds {@code stdout}, {@code stdout_bytes} (and the same for stderr) and {@code truncated}. */
  Map<String, Object> withOutput(ExecView view, int budget) {
    var fields = fields(view);
    boolean cutOut = stream(view, "stdout", budget, fields);
    boolean cutErr = stream(view, "stderr", budget, fields);
    fields.put("truncated", cutOut || cutErr);
    return fields;
  }

  private boolean stream(ExecView view, String stream, int budget, Map<String, Object> fields) {
    var sandboxId = view.sandboxId();
    var execId = view.execId();
    var first = slice(sandboxId, execId, stream, budget);
    long from = first.offset();
    long end = first.end();
    if (end - from <= budget) {
      var text = OutputText.lenient(first.bytes());
      fields.put(stream, from == 0 ? text : dropped(stream, from) + text);
      fields.put(stream + "_bytes", end);
      return from > 0;
    }
    int half = budget / 2;
    int headLength = OutputText.headEnd(first.bytes(), half);
    var head = Arrays.copyOf(first.bytes(), headLength);
    var tailBytes = execs.outputSlice(sandboxId, execId, stream, end - half, half).bytes();
    int skip = OutputText.tailStart(tailBytes);
    var tail = Arrays.copyOfRange(tailBytes, skip, tailBytes.length);
    long headEnd = from + headLength;
    long tailStart = end - half + skip;
    fields.put(
        stream,
        (from == 0 ? "" : dropped(stream, from))
            + OutputText.lenient(head)
            + "\n[... "
            + (tailStart - headEnd)
            + " bytes of "
            + stream
            + " left out here: read_output with exec_id \""
            + execId
            + "\", stream \""
            + stream
            + "\" and offset "
            + headEnd
            + " reads them ...]\n"
            + OutputText.lenient(tail));
    fields.put(stream + "_bytes", end);
    return true;
  }

  /** The first bytes still kept: output of a long-retained exec may have been dropped. */
  private OutputSlice slice(String sandboxId, String execId, String stream, int max) {
    try {
      return execs.outputSlice(sandboxId, execId, stream, 0, max);
    } catch (OutputDroppedException e) {
      var properties = e.getBody().getProperties();
      var keptFrom = properties == null ? null : properties.get("kept_from");
      if (!(keptFrom instanceof Long from)) {
        throw e;
      }
      return execs.outputSlice(sandboxId, execId, stream, from, max);
    }
  }

  private static String dropped(String stream, long bytes) {
    return "[... the first " + bytes + " bytes of " + stream + " are no longer kept ...]\n";
  }
}
