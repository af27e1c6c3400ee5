package dev.sbx.cli.mcp;

/**
 * What the initialize exchange settled: the session id the server gave, and the protocol version
 * the two sides agreed on. Every later request carries both, as the Streamable HTTP transport asks.
 */
final class Session {

  private volatile String id;
  private volatile String protocolVersion;

  /** The session id, or null before initialize (or when the server keeps no sessions). */
  String id() {
    return id;
  }

  String protocolVersion() {
    return protocolVersion;
  }

  void started(String id) {
    if (id != null && !id.isBlank()) {
      this.id = id;
    }
  }

  void agreed(String protocolVersion) {
    if (protocolVersion != null) {
      this.protocolVersion = protocolVersion;
    }
  }
}
