package dev.sbx.controlplane.runtime.local;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The local runtime's settings, bound from the {@code sandbox.*} properties that the {@code
 * SANDBOX_STATE_DIR}, {@code SANDBOX_LOCAL_*}, {@code SANDBOX_BWRAP}, {@code SANDBOX_CGROUP_ROOT}
 * and {@code SANDBOX_WARM_POOL_SIZE} variables and file keys become (see config.ConfigKey for
 * names, defaults and the checks that give the one-line errors).
 *
 * @param stateDir the folder of the sandboxes, or null for the per-user default
 * @param localNetwork none (a network namespace of its own) or host
 * @param localUidRange host uids sandboxes run as when the control plane runs as root
 * @param bwrap the bubblewrap program, a name on PATH or a path
 * @param cgroupRoot the cgroup delegated for the sandboxes' limits, or null for our own
 * @param warmPoolSize sandboxes kept started ahead of creates
 */
@Validated
@ConfigurationProperties("sandbox")
public record LocalProperties(
    @Nullable String stateDir,
    @NotBlank String localNetwork,
    @NotBlank String localUidRange,
    @NotBlank String bwrap,
    @Nullable String cgroupRoot,
    @PositiveOrZero int warmPoolSize) {

  boolean hostNetwork() {
    return "host".equals(localNetwork);
  }

  @Nullable Path stateFolder() {
    return stateDir == null ? null : Path.of(stateDir);
  }
}
