package dev.sbx.controlplane.stream;

import dev.sbx.controlplane.problem.ProblemWriter;
import dev.sbx.controlplane.problem.Problems;
import dev.sbx.controlplane.runtime.IngestTokens;
import dev.sbx.controlplane.runtime.SandboxRuntime;
import dev.sbx.controlplane.sandbox.SandboxIds;
import dev.sbx.controlplane.sandbox.SandboxService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * Lets a stream sidecar in only with its sandbox's ingest credential: no credential is 401, a
 * credential that is not this sandbox's is 403. The control plane keeps only the credential's
 * SHA-256, which the runtime stores with the sandbox.
 */
@Component
class IngestHandshake extends ProblemHandshake {

  static final String SANDBOX_ID = "sbx.ingest.sandboxId";
  private static final Pattern PATH = Pattern.compile("^/sandboxes/([^/]+)/ingest$");

  private final SandboxService sandboxes;
  private final SandboxRuntime runtime;

  IngestHandshake(SandboxService sandboxes, SandboxRuntime runtime, ProblemWriter problems) {
    super(problems);
    this.sandboxes = sandboxes;
    this.runtime = runtime;
  }

  @Override
  void check(
      HttpServletRequest request, HttpServletResponse response, Map<String, Object> attributes) {
    var header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.startsWith("Bearer ") || header.length() == 7) {
      response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"sbx-ingest\"");
      throw refused(
          HttpStatus.UNAUTHORIZED,
          Problems.UNAUTHORIZED,
          "Unauthorized",
          "ingest needs Authorization: Bearer <the sandbox's ingest token>");
    }
    // The runtime answers for its warm pool's sandboxes too, which no get shows: their sidecars
    // connect before any create claims them. No token: 404 for an unknown sandbox, else 403.
    var sandboxId = SandboxIds.normalize(sandboxIn(request, PATH));
    var expected = runtime.ingestTokenSha256(sandboxId);
    if (expected == null) {
      sandboxes.existingId(sandboxId);
    }
    var given = IngestTokens.sha256(header.substring(7));
    if (expected == null
        || !MessageDigest.isEqual(
            given.getBytes(StandardCharsets.US_ASCII),
            expected.getBytes(StandardCharsets.US_ASCII))) {
      throw refused(
          HttpStatus.FORBIDDEN,
          Problems.FORBIDDEN,
          "Forbidden",
          "the token is not sandbox " + sandboxId + "'s ingest token");
    }
    attributes.put(SANDBOX_ID, sandboxId);
  }

  private static ErrorResponseException refused(
      HttpStatus status, String type, String title, String detail) {
    return new ErrorResponseException(status, Problems.of(status, type, title, detail), null);
  }
}
