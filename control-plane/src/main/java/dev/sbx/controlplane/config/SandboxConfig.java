package dev.sbx.controlplane.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The control plane's configuration, loaded and checked by {@link ConfigLoader}.
 *
 * @param values every key's checked value: String, Boolean, Integer, Duration, List or Map
 * @param configFile the {@code SANDBOX_CONFIG} file it was read from, if any
 */
public record SandboxConfig(Map<ConfigKey, Object> values, @Nullable Path configFile) {

  public String runtime() {
    return text(ConfigKey.RUNTIME);
  }

  public boolean hostNetwork() {
    return "host".equals(text(ConfigKey.LOCAL_NETWORK));
  }

  public int streamBuffer() {
    return (Integer) values.get(ConfigKey.STREAM_BUFFER);
  }

  public long streamBufferBytes() {
    return (Long) values.get(ConfigKey.STREAM_BUFFER_BYTES);
  }

  public long streamStoreBytes() {
    return (Long) values.get(ConfigKey.STREAM_STORE_BYTES);
  }

  /** The folder for kept exec output as configured, or null for a new temporary one. */
  public @Nullable Path streamStoreDir() {
    var dir = (String) values.get(ConfigKey.STREAM_STORE_DIR);
    return dir == null ? null : Path.of(dir);
  }

  /** The default exec timeout, or null for none. */
  public @Nullable Duration execTimeout() {
    var timeout = duration(ConfigKey.EXEC_TIMEOUT);
    return timeout == null || timeout.isZero() || timeout.isNegative() ? null : timeout;
  }

  public Duration execMaxTimeout() {
    return duration(ConfigKey.EXEC_MAX_TIMEOUT);
  }

  public Duration execKillGrace() {
    return duration(ConfigKey.EXEC_KILL_GRACE);
  }

  public Duration execStatusRetention() {
    return duration(ConfigKey.EXEC_STATUS_RETENTION);
  }

  public long execMaxOutput() {
    return (Long) values.get(ConfigKey.EXEC_MAX_OUTPUT);
  }

  public int execMaxRunning() {
    return (Integer) values.get(ConfigKey.EXEC_MAX_RUNNING);
  }

  public int streamSubscriberQueue() {
    return (Integer) values.get(ConfigKey.STREAM_SUBSCRIBER_QUEUE);
  }

  public Duration streamPingInterval() {
    return duration(ConfigKey.STREAM_PING_INTERVAL);
  }

  public boolean useAsyncExec() {
    return (Boolean) values.get(ConfigKey.USE_ASYNC_EXEC);
  }

  public @Nullable String apiToken() {
    return (String) values.get(ConfigKey.API_TOKEN);
  }

  public String bwrap() {
    return text(ConfigKey.BWRAP);
  }

  /** SANDBOX_CGROUP_ROOT, or null for the control plane's own cgroup. */
  public @Nullable String cgroupRoot() {
    return text(ConfigKey.CGROUP_ROOT);
  }

  public String localUidRange() {
    return text(ConfigKey.LOCAL_UID_RANGE);
  }

  /** The state folder as configured, or null for the per-user default. */
  public @Nullable Path stateDir() {
    var dir = (String) values.get(ConfigKey.STATE_DIR);
    return dir == null ? null : Path.of(dir);
  }

  @SuppressWarnings("unchecked")
  public Map<String, String> env() {
    return (Map<String, String>) values.get(ConfigKey.ENV);
  }

  @SuppressWarnings("unchecked")
  public List<String> allowedHosts() {
    return (List<String>) values.get(ConfigKey.ALLOWED_HOSTS);
  }

  @SuppressWarnings("unchecked")
  public List<String> disallowedHosts() {
    return (List<String>) values.get(ConfigKey.DISALLOWED_HOSTS);
  }

  /** The configured network mode, or null when unset (then host lists decide). */
  public @Nullable String network() {
    return text(ConfigKey.NETWORK);
  }

  @SuppressWarnings("unchecked")
  public List<String> egressAllowPrivate() {
    return (List<String>) values.get(ConfigKey.EGRESS_ALLOW_PRIVATE);
  }

  public int egressMaxConnections() {
    return (Integer) values.get(ConfigKey.EGRESS_MAX_CONNECTIONS);
  }

  public Duration duration(ConfigKey key) {
    return (Duration) values.get(key);
  }

  public String text(ConfigKey key) {
    return (String) values.get(key);
  }
}
