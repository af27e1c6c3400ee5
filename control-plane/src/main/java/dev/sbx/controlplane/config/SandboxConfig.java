package dev.sbx.controlplane.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Every key's checked value, as {@link ConfigLoader} loaded them: what the start-up check reads.
 * Features do not: each binds a {@code @ConfigurationProperties} record of its own from the {@code
 * sandbox.*} properties ({@link SandboxPropertySource}), so that no code reads this map with casts.
 *
 * @param values every key's checked value: String, Boolean, Integer, Long, Duration, List or Map
 * @param configFile the {@code SANDBOX_CONFIG} file it was read from, if any
 */
public record SandboxConfig(Map<ConfigKey, Object> values, @Nullable Path configFile) {

  public String runtime() {
    return text(ConfigKey.RUNTIME);
  }

  public @Nullable String apiToken() {
    return text(ConfigKey.API_TOKEN);
  }

  public String bwrap() {
    return text(ConfigKey.BWRAP);
  }

  /** The state folder as configured, or null for the per-user default. */
  public @Nullable Path stateDir() {
    var dir = text(ConfigKey.STATE_DIR);
    return dir == null ? null : Path.of(dir);
  }

  /** The environment of every sandbox: the file's env map with SANDBOX_ENV_* over it. */
  @SuppressWarnings("unchecked")
  public Map<String, String> env() {
    return (Map<String, String>) values.get(ConfigKey.ENV);
  }

  /** A key's checked value, as {@link ConfigKind} gives its type; null when unset. */
  public @Nullable Object value(ConfigKey key) {
    return values.get(key);
  }

  public Duration duration(ConfigKey key) {
    return (Duration) values.get(key);
  }

  public String text(ConfigKey key) {
    return (String) values.get(key);
  }
}
