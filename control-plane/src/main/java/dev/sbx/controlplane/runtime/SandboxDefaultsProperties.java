package dev.sbx.controlplane.runtime;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Name;

/**
 * What every sandbox gets unless its create request says otherwise, bound from the {@code
 * sandbox.*} properties that the {@code SANDBOX_ENV*}, limit and host-list variables and file keys
 * become (see config.ConfigKey for names, defaults and the checks that give the one-line errors).
 *
 * @param env the environment of every sandbox, by variable name; bound from {@code
 *     sandbox.environment[NAME]}, not {@code sandbox.env}: Spring reads the process's variable
 *     SANDBOX_ENV_GoPath as {@code sandbox.env.gopath} too, and a map takes entries from every
 *     source, so each variable came twice, once in lower case
 * @param cpuLimit CPU in cores or millicores, or null for no limit
 * @param memLimit memory as a quantity, or null for no limit
 * @param pidsLimit processes and threads at once, or null for no limit
 * @param diskLimit bytes of the writable folders as a quantity, or null for no limit
 * @param network the configured network mode, or null to let the host lists decide
 * @param allowedHosts the hosts sandboxes may reach
 * @param disallowedHosts the hosts sandboxes must not reach
 */
@ConfigurationProperties("sandbox")
public record SandboxDefaultsProperties(
    @Name("environment") Map<String, String> env,
    @Nullable String cpuLimit,
    @Nullable String memLimit,
    @Nullable String pidsLimit,
    @Nullable String diskLimit,
    @Nullable String network,
    List<String> allowedHosts,
    List<String> disallowedHosts) {

  public SandboxDefaultsProperties {
    // Sorted, as the sandbox's environment is shown; absent is empty.
    env = env == null ? Map.of() : new TreeMap<>(env);
    allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
    disallowedHosts = disallowedHosts == null ? List.of() : List.copyOf(disallowedHosts);
  }

  /** The configured limits: every sandbox's default, and the most a create may ask for. */
  public Resources resources() {
    return Resources.parse(cpuLimit, memLimit, pidsLimit, diskLimit);
  }

  /** The network mode of a sandbox whose create names none and gives no hosts. */
  public NetworkMode networkMode() {
    return EgressPolicy.defaultMode(network, allowedHosts);
  }

  /** The egress policy warm sandboxes are made with. */
  public EgressPolicy egressPolicy() {
    return new EgressPolicy(networkMode(), allowedHosts, disallowedHosts);
  }
}
