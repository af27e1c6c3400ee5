package dev.sbx.controlplane.runtime;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Host names and IP addresses as the egress policy reads them: strict literals that never ask DNS,
 * DNS names in one form, and range arithmetic.
 */
public final class Addresses {

  private Addresses() {}

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
          || !label.chars().allMatch(Addresses::nameChar)) {
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
}
