package dev.sbx.controlplane.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sbx.controlplane.runtime.ResourceUsage;
import org.jspecify.annotations.Nullable;

/**
 * What a sandbox uses now, as the API shows it; a figure its runtime cannot measure is left out.
 *
 * @param memoryBytes memory charged to it, page cache included
 * @param cpuSeconds CPU time its processes used since it last started
 * @param pids processes and threads
 * @param diskBytes bytes its writable folders hold
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UsageView(
    @Nullable Long memoryBytes,
    @Nullable Double cpuSeconds,
    @Nullable Long pids,
    @Nullable Long diskBytes) {

  static @Nullable UsageView of(@Nullable ResourceUsage usage) {
    return usage == null
        ? null
        : new UsageView(usage.memoryBytes(), usage.cpuSeconds(), usage.pids(), usage.diskBytes());
  }
}
