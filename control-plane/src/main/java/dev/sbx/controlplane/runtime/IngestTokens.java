package dev.sbx.controlplane.runtime;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Ingest credentials are kept as their SHA-256 only, so a stored one cannot be replayed. */
public final class IngestTokens {

  private static final SecureRandom RANDOM = new SecureRandom();

  private IngestTokens() {}

  /** A new token: 32 random bytes, in lowercase hex. */
  public static String generate() {
    var bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** The lowercase hex SHA-256 of the token's UTF-8 bytes. */
  public static String sha256(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
