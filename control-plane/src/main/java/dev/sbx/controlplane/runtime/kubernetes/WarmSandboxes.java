package dev.sbx.controlplane.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** How to read warm sandboxes off their labels. */
final class WarmSandboxes {

  private WarmSandboxes() {}

  static boolean warm(@Nullable Namespace namespace) {
    return namespace != null
        && Labels.WARM.equals(label(namespace.getMetadata().getLabels(), Labels.LAUNCH_TYPE));
  }

  static boolean claimed(@Nullable Pod pod) {
    return pod != null && "true".equals(label(pod.getMetadata().getLabels(), Labels.CLAIMED));
  }

  /** A warm sandbox no create took yet: it belongs to the pool, not to a user. */
  static boolean unclaimed(Namespace namespace, @Nullable Pod pod) {
    return warm(namespace) && !claimed(pod);
  }

  static @Nullable Instant claimedAt(@Nullable Pod pod) {
    if (pod == null || pod.getMetadata().getAnnotations() == null) {
      return null;
    }
    var value = pod.getMetadata().getAnnotations().get(Labels.CLAIMED_AT);
    try {
      return value == null ? null : Instant.parse(value);
    } catch (RuntimeException e) {
      return null;
    }
  }

  static Instant createdAt(Namespace namespace) {
    var created = namespace.getMetadata().getCreationTimestamp();
    return created == null ? Instant.EPOCH : Instant.parse(created);
  }

  private static @Nullable String label(
      java.util.@Nullable Map<String, String> labels, String key) {
    return labels == null ? null : labels.get(key);
  }
}
