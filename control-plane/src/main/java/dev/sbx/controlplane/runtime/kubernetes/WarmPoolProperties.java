package dev.sbx.controlplane.runtime.kubernetes;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The warm pool's and the reaper's settings as configured, bound from the {@code sandbox.*}
 * properties that the {@code SANDBOX_WARM_*}, {@code SANDBOX_IDLE_TTL} and {@code
 * SANDBOX_CREATE_READY_TIMEOUT} variables and file keys become (see config.ConfigKey for names,
 * defaults and the checks that give the one-line errors). {@link PoolSettings} applies the rules.
 *
 * @param warmPoolSize fixed pool size (0: no fixed pool)
 * @param warmPoolAutosize whether the size follows demand
 * @param warmPoolMin autosize minimum
 * @param warmPoolMax autosize maximum (0: 10 when autosize is on)
 * @param idleTtl idle time before a sandbox is reaped; 0 or less disables reaping
 * @param warmControlNamespace namespace of the leader-election Lease
 * @param createReadyTimeout how long a new sandbox may take to become Ready
 */
@Validated
@ConfigurationProperties("sandbox")
public record WarmPoolProperties(
    @PositiveOrZero int warmPoolSize,
    boolean warmPoolAutosize,
    @PositiveOrZero int warmPoolMin,
    @PositiveOrZero int warmPoolMax,
    @NotNull Duration idleTtl,
    @NotBlank String warmControlNamespace,
    @NotNull Duration createReadyTimeout) {}
