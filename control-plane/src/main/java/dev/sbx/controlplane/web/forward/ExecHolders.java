package dev.sbx.controlplane.web.forward;

import dev.sbx.controlplane.exec.ExecService;
import dev.sbx.controlplane.peers.Ownership;
import jakarta.servlet.http.HttpServletRequest;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Finds the replica that holds an exec its sandbox's owner does not know. A replica that joins
 * takes over its share of sandboxes at once, but an exec another replica started on one of them
 * before the join lives on in that replica, which ranks next for the sandbox: the owner asks the
 * other replicas in that order, each with a holder question it may not pass on, and forwards the
 * request to the first that holds the exec. This costs a round trip per request only for such
 * execs, and only until they are no longer retained.
 */
final class ExecHolders {

  private static final Pattern EXEC_PATH =
      Pattern.compile("^/sandboxes/[^/]+/execs/([A-Za-z0-9_-]{1,64})(?:/.*)?$");
  private static final Pattern EXEC_QUERY =
      Pattern.compile("(?:^|&)exec_id=([A-Za-z0-9_-]{1,64})(?:&|$)");

  private final Ownership ownership;
  private final ExecService execs;
  private final HttpForwarder http;

  ExecHolders(Ownership ownership, ExecService execs, HttpForwarder http) {
    this.ownership = ownership;
    this.execs = execs;
    this.http = http;
  }

  /** The exec a request names: in its path, or as exec_id of a stream or a terminal. */
  static @Nullable String execId(HttpServletRequest request) {
    var path = request.getRequestURI();
    var inPath = EXEC_PATH.matcher(path);
    if (inPath.matches()) {
      return inPath.group(1);
    }
    var query = request.getQueryString();
    if (query != null && (path.endsWith("/stream") || path.endsWith("/tty"))) {
      var inQuery = EXEC_QUERY.matcher(query);
      if (inQuery.find()) {
        return inQuery.group(1);
      }
    }
    return null;
  }

  /** Whether this replica holds the exec the request names. */
  boolean holdsHere(HttpServletRequest request, String sandboxId) {
    var execId = execId(request);
    return execId != null && execs.holds(sandboxId, execId);
  }

  /**
   * The other replica that holds the exec the request names, when this one does not; null when the
   * request names none, this replica holds it, or no replica does (the usual 404 follows).
   */
  @Nullable String elsewhere(HttpServletRequest request, String sandboxId)
      throws InterruptedException {
    var execId = execId(request);
    var secret = ownership.secret();
    if (execId == null || secret == null || execs.holds(sandboxId, execId)) {
      return null;
    }
    for (var replica : ownership.others(sandboxId)) {
      if (http.holds(
          replica,
          sandboxId,
          execId,
          request.getHeader("Authorization"),
          ownership.self(),
          secret)) {
        return replica;
      }
    }
    return null;
  }
}
