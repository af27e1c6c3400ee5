package dev.sbx.controlplane.runtime;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A sandbox as its runtime sees it now.
 *
 * @param id the sandbox's full id, which is also its name (the namespace on Kubernetes)
 * @param runtime the runtime's name
 * @param phase {@code Pending}, {@code Running}, {@code Stopped} or {@code Failed}
 * @param ready whether it can run a command now
 * @param createdAt when it was created
 * @param lastExecAt when a command last started or ended in it
 * @param reason why it is not ready, when the runtime knows (e.g. ErrImagePull)
 * @param launchType warm when a pre-started sandbox was claimed for it, else cold
 * @param resources the limits it was created with
 * @param unenforced the limits of {@code resources} that are not enforced, by API name ({@link
 *     Resources#DISK}...), each with why; empty when every limit holds
 * @param usage what it uses now; null when the runtime did not measure it (lists do not)
 */
public record SandboxInfo(
    String id,
    String runtime,
    String phase,
    boolean ready,
    Instant createdAt,
    @Nullable Instant lastExecAt,
    @Nullable String reason,
    LaunchType launchType,
    Resources resources,
    Map<String, String> unenforced,
    @Nullable ResourceUsage usage) {

  // The components again, less the limits: a record's second constructor lists its own
  // parameters (the duplicates tool reports the pair, and SandboxView's, which is the API's view).
  /** A sandbox whose runtime knows nothing of its limits. */
  public SandboxInfo(
      String id,
      String runtime,
      String phase,
      boolean ready,
      Instant createdAt,
      @Nullable Instant lastExecAt,
      @Nullable String reason,
      LaunchType launchType) {
    this(
        id,
        runtime,
        phase,
        ready,
        createdAt,
        lastExecAt,
        reason,
        launchType,
        Resources.NONE,
        Map.of(),
        null);
  }
}
