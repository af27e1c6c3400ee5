package dev.sbx.controlplane.peers;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Rendezvous (highest-random-weight) hashing: each replica scores each sandbox id, and the highest
 * score owns it. A replica that joins takes over only the ids it now scores highest on, and one
 * that leaves hands over only its own, each to the replica that scored next; every other sandbox
 * stays where it was. Every replica computes the same answer from the same set, with no shared
 * state: no API write per create, and ownership moves as soon as the replica set does (the
 * endpoints' readiness, a few seconds), where a Lease per sandbox would cost a write per create and
 * a renewal per sandbox every few seconds, and would move only when the lease expired (15 s for the
 * pool's).
 */
public final class Rendezvous {

  private Rendezvous() {}

  /** The replica that owns {@code sandboxId} among {@code replicas}, or null when there is none. */
  public static @Nullable String owner(Collection<String> replicas, String sandboxId) {
    String best = null;
    long bestScore = 0;
    for (var replica : replicas) {
      long score = score(replica, sandboxId);
      // Ties (64-bit collisions) go to the smaller name, so that every replica picks the same.
      if (best == null
          || Long.compareUnsigned(score, bestScore) > 0
          || (score == bestScore && replica.compareTo(best) < 0)) {
        best = replica;
        bestScore = score;
      }
    }
    return best;
  }

  /**
   * The replicas from the highest score for {@code sandboxId} down: owner first, then its heirs.
   */
  public static List<String> ranked(Collection<String> replicas, String sandboxId) {
    return replicas.stream()
        .sorted(
            (x, y) -> {
              // As owner() compares them: unsigned, highest first, ties to the smaller name.
              int byScore = Long.compareUnsigned(score(y, sandboxId), score(x, sandboxId));
              return byScore != 0 ? byScore : x.compareTo(y);
            })
        .toList();
  }

  // SHA-256 rather than String.hashCode: the score must be the same on every JVM and spread well
  // (about 1 µs for two replicas, next to the millisecond a request costs).
  static long score(String replica, String sandboxId) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    sha.update(replica.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    return ByteBuffer.wrap(sha.digest(sandboxId.getBytes(StandardCharsets.UTF_8))).getLong();
  }
}
