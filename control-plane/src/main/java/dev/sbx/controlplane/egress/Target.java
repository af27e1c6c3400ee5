package dev.sbx.controlplane.egress;

import dev.sbx.controlplane.runtime.Addresses;
import org.jspecify.annotations.Nullable;

/**
 * Where a sandbox asked to connect, checked: a DNS name in lower case or an IP literal, and a port.
 *
 * @param host the name, or the address in its usual text form
 * @param port 1 to 65535
 * @param literal the address's bytes when the sandbox gave an address, else null
 */
record Target(String host, int port, byte @Nullable [] literal) {

  /**
   * Parses {@code host:port} (IPv6 in brackets), as a CONNECT request or a URL's authority gives
   * it; the port defaults to {@code defaultPort} when absent.
   *
   * @throws IllegalArgumentException without repeating the hostile text
   */
  static Target parse(String authority, int defaultPort) {
    if (authority.isEmpty() || authority.length() > 300) {
      throw new IllegalArgumentException("no valid host");
    }
    String host;
    String portText = null;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("no valid host");
      }
      host = authority.substring(1, close);
      var rest = authority.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException("no valid host");
        }
        portText = rest.substring(1);
      }
      if (host.indexOf(':') < 0) {
        throw new IllegalArgumentException("no valid host");
      }
    } else {
      int colon = authority.lastIndexOf(':');
      if (colon >= 0 && authority.indexOf(':') != colon) {
        throw new IllegalArgumentException("no valid host"); // IPv6 needs its brackets here
      }
      host = colon < 0 ? authority : authority.substring(0, colon);
      portText = colon < 0 ? null : authority.substring(colon + 1);
    }
    int port = defaultPort;
    if (portText != null) {
      if (portText.isEmpty()
          || portText.length() > 5
          || !portText.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new IllegalArgumentException("no valid port");
      }
      port = Integer.parseInt(portText);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("no valid port");
    }
    var literal = Addresses.literal(host);
    if (literal != null) {
      return new Target(Addresses.address(literal).getHostAddress(), port, literal);
    }
    var name = Addresses.normalizeName(host);
    if (name == null) {
      throw new IllegalArgumentException("no valid host");
    }
    return new Target(name, port, null);
  }

  boolean isAddress() {
    return literal != null;
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
