package dev.sbx.controlplane.stream;

import dev.sbx.controlplane.exec.EventLogs;
import dev.sbx.controlplane.problem.InvalidRequestException;
import dev.sbx.controlplane.problem.ProblemWriter;
import dev.sbx.controlplane.problem.Problems;
import dev.sbx.controlplane.sandbox.SandboxService;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Checks a stream handshake before the upgrade: an unknown sandbox, or an exec id the sandbox never
 * ran, is answered with a problem response instead of a socket that would wait forever.
 */
@Component
class StreamHandshake implements HandshakeInterceptor {

  static final String EXEC_ID = "sbx.execId";
  static final String FROM_SEQ = "sbx.fromSeq";
  static final String LOG = "sbx.log";
  private static final Pattern PATH = Pattern.compile("^/sandboxes/([^/]+)/stream$");
  private static final Pattern EXEC_ID_FORMAT = Pattern.compile("[0-9a-f]{16}");

  private final SandboxService sandboxes;
  private final EventLogs eventLogs;
  private final ProblemWriter problems;

  StreamHandshake(SandboxService sandboxes, EventLogs eventLogs, ProblemWriter problems) {
    this.sandboxes = sandboxes;
    this.eventLogs = eventLogs;
    this.problems = problems;
  }

  @Override
  public boolean beforeHandshake(
      ServerHttpRequest request,
      ServerHttpResponse response,
      WebSocketHandler handler,
      Map<String, Object> attributes) {
    var servletRequest = ((ServletServerHttpRequest) request).getServletRequest();
    var servletResponse = ((ServletServerHttpResponse) response).getServletResponse();
    try {
      var matcher = PATH.matcher(servletRequest.getRequestURI());
      var sandboxId = sandboxes.get(matcher.matches() ? matcher.group(1) : "").id();
      // Taken now and kept: if the sandbox is deleted before the socket opens, the subscriber
      // still gets this log's last words instead of a new, empty log that never ends.
      var log = eventLogs.forSandbox(sandboxId);
      attributes.put(LOG, log);
      var execId = servletRequest.getParameter("exec_id");
      if (execId != null && !execId.isEmpty()) {
        if (!EXEC_ID_FORMAT.matcher(execId).matches() || !log.knows(execId)) {
          throw new ErrorResponseException(
              HttpStatus.NOT_FOUND,
              Problems.of(
                  HttpStatus.NOT_FOUND,
                  Problems.EXEC_NOT_FOUND,
                  "Exec not found",
                  "sandbox " + sandboxId + " has no exec " + execId),
              null);
        }
        attributes.put(EXEC_ID, execId);
      }
      attributes.put(FROM_SEQ, fromSeq(servletRequest.getParameter("from_seq"), execId));
      return true;
    } catch (ErrorResponseException e) {
      problems.write(servletRequest, servletResponse, e.getBody());
      return false;
    }
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

  @Override
  public void afterHandshake(
      ServerHttpRequest request,
      ServerHttpResponse response,
      WebSocketHandler handler,
      Exception exception) {}
}
