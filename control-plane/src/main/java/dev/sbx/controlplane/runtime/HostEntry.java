package dev.sbx.controlplane.runtime;

import java.net.InetAddress;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code allowed_hosts} or {@code disallowed_hosts}: {@code example.com}, {@code
 * *.example.com} (its subdomains, not the name itself), an IP address or a CIDR range, each
 * optionally with {@code :port} (IPv6 in brackets then: {@code [2001:db8::1]:443}).
 */
public final class HostEntry {

  /** What an entry names. */
  public enum Kind {
    NAME,
    SUBDOMAINS,
    ADDRESS,
    RANGE
  }

  private static final int MAX_LENGTH = 300;

  private final String text;
  private final Kind kind;
  private final @Nullable String name;
  private final byte @Nullable [] network;
  private final int prefix;
  private final int port;

  private HostEntry(
      String text,
      Kind kind,
      @Nullable String name,
      byte @Nullable [] network,
      int prefix,
      int port) {
    this.text = text;
    this.kind = kind;
    this.name = name;
    this.network = network;
    this.prefix = prefix;
    this.port = port;
  }

  /**
   * Parses an entry as a user wrote it.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static HostEntry parse(String given) {
    if (given == null || given.isBlank()) {
      throw new IllegalArgumentException("an entry is empty");
    }
    if (given.length() > MAX_LENGTH || !given.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException(
          "\"" + printable(given) + "\" is not a host name, address or CIDR range");
    }
    var text = given.toLowerCase(Locale.ROOT);
    String host;
    int port = 0;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw invalid(given);
      }
      host = text.substring(1, close);
      var rest = text.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw invalid(given);
        }
        port = port(given, rest.substring(1));
      }
    } else if (text.indexOf(':') != text.lastIndexOf(':')) {
      host = text; // a bare IPv6 address or range: it cannot carry a port
    } else {
      int colon = text.indexOf(':');
      host = colon < 0 ? text : text.substring(0, colon);
      if (colon >= 0) {
        port = port(given, text.substring(colon + 1));
      }
    }
    int slash = host.indexOf('/');
    if (slash >= 0) {
      var address = Addresses.literal(host.substring(0, slash));
      if (address == null) {
        throw invalid(given);
      }
      int bits = address.length * 8;
      int prefix = number(host.substring(slash + 1), bits, given, "prefix length");
      return new HostEntry(given, Kind.RANGE, null, mask(address, prefix), prefix, port);
    }
    var address = Addresses.literal(host);
    if (address != null) {
      return new HostEntry(given, Kind.ADDRESS, null, address, address.length * 8, port);
    }
    if (host.startsWith("*.")) {
      var suffix = Addresses.normalizeName(host.substring(2));
      if (suffix == null) {
        throw invalid(given);
      }
      return new HostEntry(given, Kind.SUBDOMAINS, suffix, null, 0, port);
    }
    var name = Addresses.normalizeName(host);
    if (name == null) {
      throw invalid(given);
    }
    return new HostEntry(given, Kind.NAME, name, null, 0, port);
  }

  /** The entry as the user wrote it. */
  public String text() {
    return text;
  }

  public Kind kind() {
    return kind;
  }

  /** The port the entry is limited to, or 0 for every port. */
  public int port() {
    return port;
  }

  /** The prefix length of an address or range entry (32 or 128 for one address). */
  public int prefix() {
    return prefix;
  }

  /** Whether the entry names this host (already normalized) on this port. */
  public boolean matchesName(String host, int targetPort) {
    if (!portMatches(targetPort) || name == null) {
      return false;
    }
    return kind == Kind.NAME
        ? name.equals(host)
        : host.length() > name.length() + 1 && host.endsWith("." + name);
  }

  /** Whether the entry is an address or range that holds this address, on this port. */
  public boolean matchesAddress(InetAddress address, int targetPort) {
    return portMatches(targetPort)
        && network != null
        && Addresses.contains(network, prefix, Addresses.bytes(address));
  }

  private boolean portMatches(int targetPort) {
    return port == 0 || port == targetPort;
  }

  private static byte[] mask(byte[] address, int prefix) {
    var masked = address.clone();
    for (int bit = prefix; bit < masked.length * 8; bit++) {
      masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return masked;
  }

  private static int port(String given, String text) {
    return number(text, 65535, given, "port");
  }

  private static int number(String text, int max, String given, String what) {
    if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("\"" + given + "\": " + what + " is not a number");
    }
    int value = Integer.parseInt(text);
    boolean isPort = "port".equals(what);
    if (value > max || (isPort && value == 0)) {
      throw new IllegalArgumentException(
          "\"" + given + "\": " + what + " must be " + (isPort ? 1 : 0) + " to " + max);
    }
    return value;
  }

  private static IllegalArgumentException invalid(String given) {
    return new IllegalArgumentException(
        "\"" + given + "\" is not a host name, *.name, IP address or CIDR range");
  }

  private static String printable(String text) {
    var shown = text.length() > 60 ? text.substring(0, 60) + "..." : text;
    var out = new StringBuilder();
    shown.chars().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
    return out.toString();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof HostEntry entry && entry.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
