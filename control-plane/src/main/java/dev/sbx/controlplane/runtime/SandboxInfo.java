package dev.sbx.controlplane.runtime;

import java.time.Instant;
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
 */
public record SandboxInfo(
    String id,
    String runtime,
    String phase,
    boolean ready,
    Instant createdAt,
    @Nullable Instant lastExecAt,
    @Nullable String reason,
    LaunchType launchType) {}
