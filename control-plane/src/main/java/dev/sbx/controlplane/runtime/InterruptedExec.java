package dev.sbx.controlplane.runtime;

import java.time.Instant;
import java.util.List;

/**
 * An exec that was running when the control plane stopped, found again by its runtime; its outcome
 * is unknown.
 *
 * @param sandboxId the sandbox it ran in
 * @param execId its id
 * @param command what it ran
 * @param startedAt when it started, as far as the runtime knows
 */
public record InterruptedExec(
    String sandboxId, String execId, List<String> command, Instant startedAt) {}
