package dev.sbx.controlplane.web;

import dev.sbx.controlplane.metrics.SandboxMetrics;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Gives every request an id (the caller's {@code X-Request-Id} when it is sane, else a new one),
 * echoes it, and logs one line when the request ends: id, method, route, status, duration. The
 * route is the template ({@code /sandboxes/{id}/exec}), so ids and tokens never reach the log.
 */
final class RequestLogFilter extends OncePerRequestFilter {

  static final String HEADER = "X-Request-Id";
  private static final Logger logger = LoggerFactory.getLogger("dev.sbx.access");
  private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private final SandboxMetrics metrics;

  RequestLogFilter(SandboxMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    var given = request.getHeader(HEADER);
    var id =
        given != null && SANE_ID.matcher(given).matches()
            ? given
            : Long.toString(System.nanoTime(), 36)
                + Integer.toString((int) (Math.random() * 1296), 36);
    response.setHeader(HEADER, id);
    MDC.put("requestId", id);
    long started = System.nanoTime();
    try {
      chain.doFilter(request, response);
    } finally {
      var status = response.getStatus();
      if (status >= 400) {
        metrics.rejected(status);
      }
      if (logger.isInfoEnabled()) {
        var route = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        logger.info(
            "req_id={} method={} route={} status={} duration={}ms",
            id,
            request.getMethod(),
            route != null ? route : request.getRequestURI().replaceAll("sbx-[a-z0-9-]+", "{id}"),
            status,
            (System.nanoTime() - started) / 1_000_000);
      }
      MDC.remove("requestId");
    }
  }
}
