package dev.sbx.controlplane.exec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An exec as the API shows it; a sync exec's answer also carries its output.
 *
 * @param execId the exec's id, for its status and its stream
 * @param sandboxId the sandbox it runs in
 * @param command what it runs
 * @param status running, completed, failed, canceled, timed_out or lost
 * @param exitCode its exit status once ended; 128+N when signal N ended it; -1 when unknown
 * @param reason why it ended when it did not simply exit
 * @param startedAt when it started
 * @param finishedAt when it ended
 * @param timeoutSeconds its timeout, if it has one
 * @param signal the signal that ended it, when one did (e.g. SIGKILL, as the OOM killer sends)
 * @param tty true when it runs on a terminal (a {@code /tty} session); absent otherwise
 * @param output what a sync exec printed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecView(
    String execId,
    String sandboxId,
    List<String> command,
    ExecStatus status,
    @Nullable Integer exitCode,
    @Nullable String reason,
    Instant startedAt,
    @Nullable Instant finishedAt,
    @Nullable Integer timeoutSeconds,
    @Nullable String signal,
    @Nullable Boolean tty,
    @JsonUnwrapped @Nullable CapturedOutput output) {

  ExecView withOutput(CapturedOutput captured) {
    return new ExecView(
        execId,
        sandboxId,
        command,
        status,
        exitCode,
        reason,
        startedAt,
        finishedAt,
        timeoutSeconds,
        signal,
        tty,
        captured);
  }
}
