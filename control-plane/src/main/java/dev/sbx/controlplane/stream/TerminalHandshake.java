package dev.sbx.controlplane.stream;

import dev.sbx.controlplane.exec.ExecNotFoundException;
import dev.sbx.controlplane.exec.TerminalRequest;
import dev.sbx.controlplane.exec.TerminalService;
import dev.sbx.controlplane.exec.TerminalSession;
import dev.sbx.controlplane.problem.InvalidRequestException;
import dev.sbx.controlplane.problem.ProblemWriter;
import dev.sbx.controlplane.sandbox.SandboxService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Checks a {@code /tty} handshake before the upgrade, so that a bad parameter, an unknown sandbox
 * or exec, or a runtime without terminals is a problem response rather than a socket that closes at
 * once. Nothing starts here: the session starts (or is attached to) once the socket is open, so a
 * handshake refused later (a foreign Origin) leaves nothing running.
 */
@Component
class TerminalHandshake extends ProblemHandshake {

  static final String SANDBOX = "sbx.tty.sandbox";
  static final String REQUEST = "sbx.tty.request";
  static final String ATTACH = "sbx.tty.attach";
  static final String SIZE = "sbx.tty.size";
  static final String OFFSET = "sbx.tty.offset";

  private static final Pattern PATH = Pattern.compile("^/sandboxes/([^/]+)/tty$");
  private static final Pattern EXEC_ID_FORMAT = Pattern.compile("[0-9a-f]{16}");
  private static final int DEFAULT_COLS = 80;
  private static final int DEFAULT_ROWS = 24;

  private final SandboxService sandboxes;
  private final TerminalService terminals;

  TerminalHandshake(SandboxService sandboxes, TerminalService terminals, ProblemWriter problems) {
    super(problems);
    this.sandboxes = sandboxes;
    this.terminals = terminals;
  }

  @Override
  void check(
      HttpServletRequest request, HttpServletResponse response, Map<String, Object> attributes) {
    var sandboxId = sandboxes.existingId(sandboxIn(request, PATH));
    attributes.put(SANDBOX, sandboxId);
    var cols = size(request, "cols");
    var rows = size(request, "rows");
    if ((cols == null) != (rows == null)) {
      throw new InvalidRequestException(cols == null ? "cols" : "rows", "give cols and rows both");
    }
    var execId = request.getParameter("exec_id");
    if (execId != null) {
      for (var other : List.of("command", "cwd", "env", "timeout_seconds")) {
        if (request.getParameter(other) != null) {
          throw new InvalidRequestException(other, "not with exec_id: the session runs already");
        }
      }
      if (!EXEC_ID_FORMAT.matcher(execId).matches()) {
        throw new ExecNotFoundException(sandboxId, execId);
      }
      terminals.checkTerminalAttach(sandboxId, execId);
      attributes.put(ATTACH, execId);
      var offset = request.getParameter("offset");
      if (offset != null) {
        attributes.put(OFFSET, offset(offset));
      }
      if (cols != null) {
        TerminalSession.size(cols, rows);
        attributes.put(SIZE, new int[] {cols, rows});
      }
      return;
    }
    var terminal =
        new TerminalRequest(
            values(request, "command"),
            request.getParameter("cwd"),
            env(request),
            timeout(request),
            cols == null ? DEFAULT_COLS : cols,
            rows == null ? DEFAULT_ROWS : rows);
    if (request.getParameter("offset") != null) {
      throw new InvalidRequestException("offset", "only with exec_id: where to resume its output");
    }
    terminals.checkTerminal(sandboxId, terminal);
    attributes.put(REQUEST, terminal);
  }

  private static @Nullable List<String> values(HttpServletRequest request, String name) {
    var given = request.getParameterValues(name);
    return given == null ? null : Arrays.asList(given);
  }

  private static Map<String, String> env(HttpServletRequest request) {
    var env = new LinkedHashMap<String, String>();
    var given = request.getParameterValues("env");
    for (var pair : given == null ? new String[0] : given) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new InvalidRequestException("env", "each is NAME=value");
      }
      env.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return env;
  }

  private static @Nullable Integer size(HttpServletRequest request, String name) {
    var given = request.getParameter(name);
    if (given == null) {
      return null;
    }
    try {
      return Integer.valueOf(given);
    } catch (NumberFormatException e) {
      throw new InvalidRequestException(name, "must be a whole number");
    }
  }

  private static long offset(String given) {
    try {
      long offset = Long.parseLong(given);
      if (offset >= 0) {
        return offset;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new InvalidRequestException("offset", "must be a whole number from 0");
  }

  private static @Nullable Integer timeout(HttpServletRequest request) {
    var given = request.getParameter("timeout_seconds");
    if (given == null) {
      return null;
    }
    try {
      return Integer.valueOf(given);
    } catch (NumberFormatException e) {
      throw new InvalidRequestException("timeout_seconds", "must be a whole number");
    }
  }
}
