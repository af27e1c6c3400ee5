package dev.sbx.controlplane.web.forward;

import dev.sbx.controlplane.exec.ExecService;
import dev.sbx.controlplane.peers.Ownership;
import dev.sbx.controlplane.problem.ProblemWriter;
import dev.sbx.controlplane.problem.Problems;
import dev.sbx.controlplane.sandbox.InvalidSandboxIdException;
import dev.sbx.controlplane.sandbox.SandboxIds;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Sends a request for a sandbox that another replica owns to that replica: REST, files, output, and
 * the stream, terminal and ingest WebSockets alike, since they all live under {@code
 * /sandboxes/{id}/}. Creates and lists are served where they land. A forwarded request names the
 * replica it first reached and carries the replicas' secret; one that comes without the secret is
 * refused, and one that reaches a replica that does not own the sandbox either (ownership moved
 * meanwhile) is refused with 503 and Retry-After, never forwarded a second time, so no request
 * loops between replicas that disagree for a moment.
 */
public final class ForwardingFilter extends OncePerRequestFilter {

  private static final Logger logger = LoggerFactory.getLogger(ForwardingFilter.class);
  private static final Pattern SANDBOX_PATH = Pattern.compile("^/sandboxes/([^/]+)/?.*$");

  private final Ownership ownership;
  private final ProblemWriter problems;
  private final HttpForwarder http = new HttpForwarder();
  private final UpgradeRelay upgrades = new UpgradeRelay();
  private final ExecHolders holders;

  public ForwardingFilter(Ownership ownership, ExecService execs, ProblemWriter problems) {
    this.ownership = ownership;
    this.problems = problems;
    this.holders = new ExecHolders(ownership, execs, http);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    var forwardedBy = request.getHeader(ForwardHeaders.FORWARDED_BY);
    var sandboxId = sandboxId(request);
    if (forwardedBy != null) {
      if (!fromReplica(request)) {
        refuse(
            request,
            response,
            HttpStatus.FORBIDDEN,
            Problems.FORBIDDEN,
            "a request that says it was forwarded ("
                + ForwardHeaders.FORWARDED_BY
                + ") must come from a replica, with the replicas' secret");
        return;
      }
      if (request.getHeader(ForwardHeaders.HOLDER) != null) {
        answerAsHolder(request, response, chain, sandboxId);
        return;
      }
      if (sandboxId != null && !ownership.ownsLocally(sandboxId)) {
        retryLater(
            request,
            response,
            "the sandbox's owner is changing (a replica came or went); retry in a second");
        return;
      }
      serveAsOwner(request, response, chain, sandboxId);
      return;
    }
    if (sandboxId == null || !ownership.replicated()) {
      chain.doFilter(request, response);
      return;
    }
    if (!ownership.ownsLocally(sandboxId)) {
      forward(request, response, ownership.owner(sandboxId), false);
      return;
    }
    serveAsOwner(request, response, chain, sandboxId);
  }

  /** Serves here, unless the request names an exec that another replica holds. */
  private void serveAsOwner(
      HttpServletRequest request,
      HttpServletResponse response,
      FilterChain chain,
      @Nullable String sandboxId)
      throws IOException, ServletException {
    String holder = null;
    if (sandboxId != null && ownership.replicated()) {
      try {
        holder = holders.elsewhere(request, sandboxId);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    if (holder == null) {
      chain.doFilter(request, response);
    } else {
      forward(request, response, holder, true);
    }
  }

  /** The owner's question: served only if this replica holds the exec, never passed on. */
  private void answerAsHolder(
      HttpServletRequest request,
      HttpServletResponse response,
      FilterChain chain,
      @Nullable String sandboxId)
      throws IOException, ServletException {
    if (sandboxId != null && holders.holdsHere(request, sandboxId)) {
      chain.doFilter(request, response);
      return;
    }
    refuse(
        request,
        response,
        HttpStatus.NOT_FOUND,
        Problems.EXEC_NOT_FOUND,
        "this replica does not hold the exec");
  }

  private void forward(
      HttpServletRequest request, HttpServletResponse response, String owner, boolean toHolder)
      throws IOException, ServletException {
    var secret = ownership.secret();
    try {
      if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
        upgrades.forward(request, response, owner, ownership.self(), secret, toHolder);
      } else {
        http.forward(request, response, owner, ownership.self(), secret, toHolder);
      }
    } catch (ConnectException | HttpConnectTimeoutException e) {
      logger.warn("replica {} that owns the sandbox is unreachable: {}", owner, e.toString());
      if (!response.isCommitted()) {
        retryLater(
            request,
            response,
            "the replica that owns this sandbox cannot be reached; retry in a few seconds, once"
                + " another replica took it over");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean fromReplica(HttpServletRequest request) {
    var secret = ownership.secret();
    var given = request.getHeader(ForwardHeaders.PEER_SECRET);
    // Compared in constant time, as the bearer token is.
    return secret != null
        && given != null
        && MessageDigest.isEqual(
            given.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8));
  }

  private static @Nullable String sandboxId(HttpServletRequest request) {
    var matcher = SANDBOX_PATH.matcher(request.getRequestURI());
    if (!matcher.matches()) {
      return null;
    }
    try {
      return SandboxIds.normalize(matcher.group(1));
    } catch (InvalidSandboxIdException e) {
      return null; // the controller answers 400 for it, wherever it lands
    }
  }

  /** 503 with Retry-After: ownership settles within seconds, and the retry then lands right. */
  private void retryLater(HttpServletRequest request, HttpServletResponse response, String detail) {
    response.setHeader("Retry-After", "1");
    refuse(request, response, HttpStatus.SERVICE_UNAVAILABLE, Problems.RUNTIME_UNAVAILABLE, detail);
  }

  private void refuse(
      HttpServletRequest request,
      HttpServletResponse response,
      HttpStatus status,
      String type,
      String detail) {
    problems.write(request, response, Problems.of(status, type, status.getReasonPhrase(), detail));
  }
}
