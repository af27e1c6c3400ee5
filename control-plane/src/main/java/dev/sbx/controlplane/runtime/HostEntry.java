package dev.sbx.controlplane.runtime;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
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
      var address = literal(host.substring(0, slash));
      if (address == null) {
        throw invalid(given);
      }
      int bits = address.length * 8;
      int prefix = number(host.substring(slash + 1), bits, given, "prefix length");
      return new HostEntry(given, Kind.RANGE, null, mask(address, prefix), prefix, port);
    }
    var address = literal(host);
    if (address != null) {
      return new HostEntry(given, Kind.ADDRESS, null, address, address.length * 8, port);
    }
    if (host.startsWith("*.")) {
      var suffix = normalizeName(host.substring(2));
      if (suffix == null) {
        throw invalid(given);
      }
      return new HostEntry(given, Kind.SUBDOMAINS, suffix, null, 0, port);
    }
    var name = normalizeName(host);
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
    return portMatches(targetPort) && network != null && contains(network, prefix, bytes(address));
  }

  private boolean portMatches(int targetPort) {
    return port == 0 || port == targetPort;
  }

  /** Whether the range {@code network/prefix} holds the address (both in the same family). */
  public static boolean contains(byte[] network, int prefix, byte[] address) {
    if (network.length != address.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (network[i] != address[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int maskBits = 0xff << (8 - rest) & 0xff;
    return (network[full] & maskBits) == (address[full] & maskBits);
  }

  /** An address's bytes, with an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) as IPv4. */
  public static byte[] bytes(InetAddress address) {
    var raw = address.getAddress();
    if (raw.length == 16 && isV4Mapped(raw)) {
      return Arrays.copyOfRange(raw, 12, 16);
    }
    return raw;
  }

  private static boolean isV4Mapped(byte[] raw) {
    for (int i = 0; i < 10; i++) {
      if (raw[i] != 0) {
        return false;
      }
    }
    return raw[10] == (byte) 0xff && raw[11] == (byte) 0xff;
  }

  /**
   * A host name in lower case without its final dot, or null when it is not a DNS name: labels of
   * letters, digits, '-' and '_', 1 to 63 long, not starting or ending with '-', 253 in all, and a
   * last label that is not all digits (so that {@code 1.2.3} is not taken for a name).
   */
  public static @Nullable String normalizeName(String given) {
    var host = given.toLowerCase(Locale.ROOT);
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    if (host.isEmpty() || host.length() > 253) {
      return null;
    }
    var labels = host.split("\\.", -1);
    for (var label : labels) {
      if (label.isEmpty()
          || label.length() > 63
          || label.startsWith("-")
          || label.endsWith("-")
          || !label.chars().allMatch(HostEntry::nameChar)) {
        return null;
      }
    }
    if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
      return null;
    }
    return host;
  }

  private static boolean nameChar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  }

  /**
   * The bytes of an IPv4 literal (four decimal parts) or an IPv6 literal, or null when the text is
   * neither. Never asks DNS.
   */
  public static byte @Nullable [] literal(String text) {
    if (text.indexOf(':') >= 0) {
      if (!text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
        return null;
      }
      try {
        // With a ':' and only hex digits, dots and colons, this parses a literal and never asks
        // DNS.
        return bytes(InetAddress.getByName(text));
      } catch (UnknownHostException e) {
        return null;
      }
    }
    var parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    var bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      var part = parts[i];
      if (part.isEmpty()
          || part.length() > 3
          || !part.chars().allMatch(Character::isDigit)
          || (part.length() > 1 && part.startsWith("0"))) {
        return null;
      }
      int value = Integer.parseInt(part);
      if (value > 255) {
        return null;
      }
      bytes[i] = (byte) value;
    }
    return bytes;
  }

  /** The address for literal bytes. */
  public static InetAddress address(byte[] bytes) {
    try {
      return bytes.length == 4 ? Inet4Address.getByAddress(bytes) : InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
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
