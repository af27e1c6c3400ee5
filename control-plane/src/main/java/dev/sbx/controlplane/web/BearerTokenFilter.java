package dev.sbx.controlplane.web;

import dev.sbx.controlplane.problem.ProblemWriter;
import dev.sbx.controlplane.problem.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Requires {@code Authorization: Bearer <token>} on every route, the WebSocket handshake included,
 * when a token is configured.
 */
final class BearerTokenFilter extends OncePerRequestFilter {

  private static final Set<String> PROBES =
      Set.of("/healthz", "/actuator/health/liveness", "/actuator/health/readiness");
  private static final Pattern INGEST = Pattern.compile("^/sandboxes/[^/]+/ingest$");

  private final byte[] expected;
  private final ProblemWriter problems;

  BearerTokenFilter(String token, ProblemWriter problems) {
    this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    this.problems = problems;
  }

  /**
   * Probes answer without the token (they tell up or down, nothing else), so that a kubelet or a
   * load balancer can use them; the ingest endpoint has a credential of its own, per sandbox.
   */
  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    var path = request.getRequestURI();
    return PROBES.contains(path) || INGEST.matcher(path).matches();
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    var header = request.getHeader(HttpHeaders.AUTHORIZATION);
    // Compared in constant time, so response timing does not reveal how much of a guess is right.
    if (header != null
        && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), expected)) {
      chain.doFilter(request, response);
      return;
    }
    response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"sbx\"");
    problems.write(
        request,
        response,
        Problems.of(
            HttpStatus.UNAUTHORIZED,
            Problems.UNAUTHORIZED,
            "Unauthorized",
            header == null
                ? "this control plane requires Authorization: Bearer <token> (SBX_TOKEN for sbx)"
                : "the bearer token is not valid"));
  }
}
