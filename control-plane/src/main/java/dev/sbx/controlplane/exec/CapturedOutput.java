package dev.sbx.controlplane.exec;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * What a sync exec printed, as returned in its answer.
 *
 * @param stdout its stdout, as text, or base64 when it is not UTF-8
 * @param stdoutEncoding {@code base64} when stdout is base64
 * @param stderr its stderr, likewise
 * @param stderrEncoding {@code base64} when stderr is base64
 * @param truncated true when either stream was longer than SANDBOX_EXEC_MAX_OUTPUT and was cut
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CapturedOutput(
    String stdout,
    @Nullable String stdoutEncoding,
    String stderr,
    @Nullable String stderrEncoding,
    @Nullable Boolean truncated) {}
