package dev.sbx.controlplane.web.forward;

import java.util.Locale;
import java.util.Set;

/** The headers replicas add to a forwarded request, and those that never pass a hop. */
final class ForwardHeaders {

  /** Names the replica the request first reached; a request carrying it is never forwarded. */
  static final String FORWARDED_BY = "Sbx-Forwarded-By";

  /** The replicas' shared secret: only a replica may say it forwarded a request. */
  static final String PEER_SECRET = "Sbx-Peer-Secret";

  /**
   * Asks a replica that may not own the sandbox to serve the request only if it holds the exec
   * named in it, and to answer 404 otherwise: the owner's question after a join moved a sandbox.
   */
  static final String HOLDER = "Sbx-Exec-Holder";

  // RFC 9110 7.6.1's hop-by-hop fields, the framing the client library sets itself, and ours.
  private static final Set<String> NOT_PASSED =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "host",
          "content-length",
          "expect",
          FORWARDED_BY.toLowerCase(Locale.ROOT),
          PEER_SECRET.toLowerCase(Locale.ROOT),
          HOLDER.toLowerCase(Locale.ROOT));

  private ForwardHeaders() {}

  /** Whether a header of the request or the answer is passed on as it is. */
  static boolean passed(String name) {
    return !name.startsWith(":") && !NOT_PASSED.contains(name.toLowerCase(Locale.ROOT));
  }
}
