package dev.sbx.controlplane.sandbox;

/**
 * A sandbox is gone, deleted by a request or reaped as idle: what was kept about it in memory (its
 * events, its execs' status) can go too.
 *
 * @param sandboxId the sandbox's full id
 */
public record SandboxDeleted(String sandboxId) {}
