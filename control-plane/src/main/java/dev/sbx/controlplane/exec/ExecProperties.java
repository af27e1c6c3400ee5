package dev.sbx.controlplane.exec;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How execs run, bound from the {@code sandbox.*} properties that the {@code SANDBOX_EXEC_*}
 * variables and file keys become (see config.ConfigKey for names, defaults and checks).
 *
 * @param execTimeout timeout of execs that do not give timeout_seconds; none when absent or 0
 * @param execMaxTimeout largest timeout_seconds accepted
 * @param execKillGrace time between TERM and KILL when an exec is canceled or times out
 * @param execStatusRetention how long finished execs' status is kept
 * @param execMaxOutput stdout and stderr bytes a sync exec returns, each
 * @param execMaxRunning execs that may run at once in one sandbox
 * @param useAsyncExec whether an exec is async unless the request says otherwise
 * @param ttyDetachGrace how long a terminal session with no client attached keeps running
 */
@Validated
@ConfigurationProperties("sandbox")
public record ExecProperties(
    @Nullable Duration execTimeout,
    @NotNull Duration execMaxTimeout,
    @NotNull Duration execKillGrace,
    @NotNull Duration execStatusRetention,
    @NotNull DataSize execMaxOutput,
    @Positive int execMaxRunning,
    boolean useAsyncExec,
    @NotNull Duration ttyDetachGrace) {

  /** The timeout of execs that give none, or null for none. */
  @Nullable Duration defaultTimeout() {
    return execTimeout == null || execTimeout.isZero() || execTimeout.isNegative()
        ? null
        : execTimeout;
  }
}
