package dev.sbx.controlplane.exec;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /sandboxes/{id}/exec}.
 *
 * @param command the program and its arguments, passed as given (no shell)
 * @param async return at once with the exec id; null follows the server default
 */
public record ExecRequest(@Nullable List<String> command, @Nullable Boolean async) {}
