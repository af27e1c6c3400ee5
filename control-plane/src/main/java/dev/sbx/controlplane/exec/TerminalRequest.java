package dev.sbx.controlplane.exec;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A command to start on a terminal, as a {@code /tty} handshake asks for it.
 *
 * @param command the program and its arguments; null or empty for the sandbox user's login shell
 * @param cwd its working directory; null for the default
 * @param env variables for it; {@code TERM} defaults to {@code xterm-256color}
 * @param timeoutSeconds ends it after that long, as an exec's timeout; null for none
 * @param cols the terminal's width
 * @param rows the terminal's height
 */
public record TerminalRequest(
    @Nullable List<String> command,
    @Nullable String cwd,
    Map<String, String> env,
    @Nullable Integer timeoutSeconds,
    int cols,
    int rows) {}
