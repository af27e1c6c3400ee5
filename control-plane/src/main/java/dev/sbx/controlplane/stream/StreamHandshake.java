package dev.sbx.controlplane.stream;

import dev.sbx.controlplane.exec.EventLog;
import dev.sbx.controlplane.exec.EventLogs;
import dev.sbx.controlplane.exec.ExecIngest;
import dev.sbx.controlplane.exec.ExecNotFoundException;
import dev.sbx.controlplane.problem.InvalidRequestException;
import dev.sbx.controlplane.problem.ProblemWriter;
import dev.sbx.controlplane.sandbox.SandboxService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Checks a stream handshake before the upgrade: an unknown sandbox, or an exec id the sandbox never
 * ran, is answered with a problem response instead of a socket that would wait forever.
 */
@Component
class StreamHandshake extends ProblemHandshake {

  static final String EXEC_ID = "sbx.execId";
  static final String FROM_SEQ = "sbx.fromSeq";
  static final String LOG = "sbx.log";
  static final String BINARY = "sbx.binary";
  private static final Pattern PATH = Pattern.compile("^/sandboxes/([^/]+)/stream$");
  private static final Pattern EXEC_ID_FORMAT = Pattern.compile("[0-9a-f]{16}");

  private final SandboxService sandboxes;
  private final EventLogs eventLogs;
  private final ExecIngest ingest;

  StreamHandshake(
      SandboxService sandboxes, EventLogs eventLogs, ExecIngest ingest, ProblemWriter problems) {
    super(problems);
    this.sandboxes = sandboxes;
    this.eventLogs = eventLogs;
    this.ingest = ingest;
  }

  @Override
  void check(
      HttpServletRequest request, HttpServletResponse response, Map<String, Object> attributes) {
    var sandboxId = sandboxes.existingId(sandboxIn(request, PATH));
    // Taken now and kept: if the sandbox is deleted before the socket opens, the subscriber
    // still gets this log's last words instead of a new, empty log that never ends.
    var log = eventLogs.forSandbox(sandboxId);
    attributes.put(LOG, log);
    var execId = request.getParameter("exec_id");
    if (execId != null && !execId.isEmpty()) {
      if (!EXEC_ID_FORMAT.matcher(execId).matches() || !known(log, sandboxId, execId)) {
        throw new ExecNotFoundException(sandboxId, execId);
      }
      attributes.put(EXEC_ID, execId);
    }
    attributes.put(FROM_SEQ, fromSeq(request.getParameter("from_seq"), execId));
    attributes.put(BINARY, binary(request.getParameter("format"), execId));
  }

  /** Whether the exec is known, after a bounded wait for a stream sidecar to announce it. */
  private boolean known(EventLog log, String sandboxId, String execId) {
    if (log.knows(execId)) {
      return true;
    }
    try {
      return ingest.awaitAnnounced(sandboxId, execId);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Whether output goes out as binary frames ({@code format=binary}) rather than JSON. */
  private static boolean binary(String format, String execId) {
    if (format == null || format.isEmpty() || format.equals("json")) {
      return false;
    }
    if (!format.equals("binary")) {
      throw new InvalidRequestException("format", "must be json or binary");
    }
    if (execId == null || execId.isEmpty()) {
      throw new InvalidRequestException("format", "format=binary needs an exec_id");
    }
    return true;
  }

  private static long fromSeq(String given, String execId) {
    if (given == null || given.isEmpty()) {
      return 1;
    }
    if (execId == null || execId.isEmpty()) {
      throw new InvalidRequestException("from_seq", "from_seq needs an exec_id");
    }
    try {
      long seq = Long.parseLong(given);
      if (seq >= 1) {
        return seq;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new InvalidRequestException("from_seq", "must be a whole number from 1");
  }
}
