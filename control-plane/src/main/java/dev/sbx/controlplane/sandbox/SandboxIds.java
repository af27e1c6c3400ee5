package dev.sbx.controlplane.sandbox;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Sandbox ids: generated ones are {@code sbx-<12 hex>}; a user's {@code demo} becomes {@code
 * sbx-demo}, and {@code demo} is accepted wherever the id is. The full id is a DNS-1123 label, so
 * it can name a Kubernetes namespace.
 */
public final class SandboxIds {

  public static final String PREFIX = "sbx-";
  static final int MAX_LENGTH = 63;
  private static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final SecureRandom RANDOM = new SecureRandom();

  private SandboxIds() {}

  public static String generate() {
    return PREFIX + randomHex(6);
  }

  /** Random lowercase hex, two characters per byte. */
  public static String randomHex(int bytes) {
    var buffer = new byte[bytes];
    RANDOM.nextBytes(buffer);
    return HexFormat.of().formatHex(buffer);
  }

  /**
   * The full id for what a user wrote, in a request body or a URL.
   *
   * @throws InvalidSandboxIdException when it is not a DNS-1123 label of at most 63 characters
   */
  public static String normalize(String given) {
    if (given == null || !DNS_1123_LABEL.matcher(given).matches()) {
      throw new InvalidSandboxIdException(
          given,
          "id must be DNS-1123 compatible (lowercase letters, numbers, '-', starting and ending"
              + " with a letter or number)");
    }
    var full = given.startsWith(PREFIX) ? given : PREFIX + given;
    if (full.length() > MAX_LENGTH) {
      throw new InvalidSandboxIdException(
          given, "id must be at most " + MAX_LENGTH + " characters long, the sbx- prefix included");
    }
    return full;
  }
}
