package dev.sbx.controlplane.stream;

import dev.sbx.controlplane.problem.ProblemWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * A WebSocket handshake check that refuses with problem JSON, as every other route does: a subclass
 * throws the {@link ErrorResponseException} it means, and the socket is not opened.
 */
abstract class ProblemHandshake implements HandshakeInterceptor {

  private final ProblemWriter problems;

  ProblemHandshake(ProblemWriter problems) {
    this.problems = problems;
  }

  /**
   * Checks the handshake and records what the handler needs in the session's attributes.
   *
   * @throws ErrorResponseException to refuse it
   */
  abstract void check(
      HttpServletRequest request, HttpServletResponse response, Map<String, Object> attributes);

  /** The sandbox named by the path, {@code /sandboxes/{id}/...}, or "" when it does not match. */
  static String sandboxIn(HttpServletRequest request, Pattern path) {
    var matcher = path.matcher(request.getRequestURI());
    return matcher.matches() ? matcher.group(1) : "";
  }

  @Override
  public final boolean beforeHandshake(
      ServerHttpRequest request,
      ServerHttpResponse response,
      WebSocketHandler handler,
      Map<String, Object> attributes) {
    var servletRequest = ((ServletServerHttpRequest) request).getServletRequest();
    var servletResponse = ((ServletServerHttpResponse) response).getServletResponse();
    try {
      check(servletRequest, servletResponse, attributes);
      return true;
    } catch (ErrorResponseException e) {
      problems.write(servletRequest, servletResponse, e.getBody());
      return false;
    }
  }

  @Override
  public final void afterHandshake(
      ServerHttpRequest request,
      ServerHttpResponse response,
      WebSocketHandler handler,
      Exception exception) {}
}
