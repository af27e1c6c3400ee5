package dev.sbx.controlplane.runtime;

import org.jspecify.annotations.Nullable;

/**
 * What a sandbox uses now, where its runtime can measure it; null where it cannot.
 *
 * @param memoryBytes memory charged to the sandbox, page cache included
 * @param cpuSeconds CPU time its processes used since it (or its current run) started
 * @param pids processes and threads
 * @param diskBytes bytes its writable folders hold
 */
public record ResourceUsage(
    @Nullable Long memoryBytes,
    @Nullable Double cpuSeconds,
    @Nullable Long pids,
    @Nullable Long diskBytes) {

  public static final ResourceUsage UNKNOWN = new ResourceUsage(null, null, null, null);
}
