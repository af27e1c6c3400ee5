package dev.sbx.controlplane.config;

import static dev.sbx.controlplane.config.ConfigKind.BOOL;
import static dev.sbx.controlplane.config.ConfigKind.BYTES_LIMIT;
import static dev.sbx.controlplane.config.ConfigKind.CHOICE;
import static dev.sbx.controlplane.config.ConfigKind.COUNT_LIMIT;
import static dev.sbx.controlplane.config.ConfigKind.DURATION;
import static dev.sbx.controlplane.config.ConfigKind.LIST;
import static dev.sbx.controlplane.config.ConfigKind.MAP;
import static dev.sbx.controlplane.config.ConfigKind.NON_NEGATIVE_INT;
import static dev.sbx.controlplane.config.ConfigKind.POSITIVE_INT;
import static dev.sbx.controlplane.config.ConfigKind.SIZE;
import static dev.sbx.controlplane.config.ConfigKind.TEXT;

import java.util.List;
import java.util.Locale;

/**
 * Every configuration key: its YAML key in the {@code SANDBOX_CONFIG} file, its environment
 * variable ({@code SANDBOX_} + the upper-cased YAML key), its kind and its default.
 *
 * <p>The keys are the original program's, so its users' files and variables keep working; the ones
 * for features that come later are recognised and checked already, so a file written for them does
 * not fail to load.
 */
public enum ConfigKey {
  RUNTIME("runtime", CHOICE, "local", "where sandboxes run", "local", "kubernetes"),
  STATE_DIR(
      "state_dir",
      TEXT,
      null,
      "folder of the local runtime's sandboxes (default ~/.local/state/sbx, /var/lib/sbx as root)"),
  LOCAL_NETWORK(
      "local_network",
      CHOICE,
      "none",
      "network namespace of local sandboxes: none (their own, loopback only; egress through the"
          + " proxy as network allows) or host (escape hatch: this machine's network, unfiltered)",
      "none",
      "host"),
  LOCAL_UID_RANGE(
      "local_uid_range",
      TEXT,
      "2130706432-2130771967",
      "host uids local sandboxes run as when the control plane runs as root, one per sandbox"
          + " (FIRST-LAST)"),
  BWRAP("bwrap", TEXT, "bwrap", "bubblewrap program, a name on PATH or a path"),
  CGROUP_ROOT(
      "cgroup_root",
      TEXT,
      null,
      "cgroup delegated to the control plane for its sandboxes' limits, relative to the"
          + " hierarchy's root (/sbx: /sys/fs/cgroup/sbx on v2, /sys/fs/cgroup/<controller>/sbx on"
          + " v1); default: its own cgroup, when it may write it"),
  API_TOKEN(
      "api_token",
      TEXT,
      null,
      "bearer token every request must carry; required when listening beyond loopback"),
  MCP_ENABLED(
      "mcp_enabled",
      BOOL,
      "true",
      "serve MCP (Streamable HTTP) at /mcp, under the same address and token as the API"),
  PEERS_SERVICE(
      "peers_service",
      TEXT,
      null,
      "headless Service whose ready endpoints are the control plane's replicas (Kubernetes);"
          + " unset: one replica"),
  PEERS(
      "peers",
      LIST,
      null,
      "the control plane's replicas listed by hand, host:port each, health-checked; for setups"
          + " without a Service"),
  PEER_ADDRESS(
      "peer_address",
      TEXT,
      null,
      "host:port the other replicas reach this one at (default: $POD_IP and the server port)"),
  PEER_SECRET(
      "peer_secret",
      TEXT,
      null,
      "secret replicas forward requests to each other with (default: the API token)"),
  STREAM_BUFFER(
      "stream_buffer", POSITIVE_INT, "200", "events kept in memory per sandbox for replay"),
  STREAM_BUFFER_BYTES(
      "stream_buffer_bytes",
      SIZE,
      "8MiB",
      "bytes of output kept in memory per sandbox for replay (with stream_buffer events)"),
  STREAM_SUBSCRIBER_QUEUE(
      "stream_subscriber_queue",
      POSITIVE_INT,
      "4096",
      "events a subscriber to every exec of a sandbox may fall behind faster ones before it is"
          + " closed (4008); a subscriber of one exec is paced from the output store instead"),
  STREAM_STORE_BYTES(
      "stream_store_bytes",
      SIZE,
      "1GiB",
      "exec output kept on disk per sandbox, for replay and /output, while the exec is retained;"
          + " past it the oldest output of finished execs is dropped first"),
  STREAM_STORE_DIR(
      "stream_store_dir",
      TEXT,
      null,
      "folder for the kept exec output (default: .output in the local runtime's state folder, kept"
          + " across restarts; on Kubernetes a new folder under java.io.tmpdir, removed at exit)"),
  STREAM_PING_INTERVAL(
      "stream_ping_interval",
      DURATION,
      "25s",
      "how often the server pings WebSocket subscribers, so idle streams stay open"),
  USE_ASYNC_EXEC(
      "use_async_exec", BOOL, "false", "exec is async unless the request says otherwise"),
  EXEC_TIMEOUT("exec_timeout", DURATION, null, "timeout of execs that do not give timeout_seconds"),
  EXEC_MAX_TIMEOUT("exec_max_timeout", DURATION, "6h", "largest timeout_seconds accepted"),
  EXEC_KILL_GRACE(
      "exec_kill_grace",
      DURATION,
      "2s",
      "time between TERM and KILL when an exec is canceled or times out"),
  EXEC_STATUS_RETENTION(
      "exec_status_retention", DURATION, "30m", "how long finished execs' status is kept"),
  EXEC_MAX_OUTPUT(
      "exec_max_output",
      SIZE,
      "16MiB",
      "stdout and stderr bytes a sync exec returns, each; the rest is cut (truncated: true)"),
  TTY_DETACH_GRACE(
      "tty_detach_grace",
      DURATION,
      "60s",
      "how long a terminal session with no client attached keeps running before it is ended"),
  EXEC_MAX_RUNNING(
      "exec_max_running", POSITIVE_INT, "32", "execs that may run at once in one sandbox"),
  ENV("env", MAP, null, "environment of every sandbox (also SANDBOX_ENV_<NAME>=value)"),
  NETWORK(
      "network",
      CHOICE,
      null,
      "what sandboxes may reach through the egress proxy: none, allowlist (allowed_hosts only) or"
          + " open (every public address); default allowlist when allowed_hosts is set, else none",
      "none",
      "allowlist",
      "open"),
  ALLOWED_HOSTS(
      "allowed_hosts",
      LIST,
      null,
      "hosts sandboxes may reach: name, *.name, IP or CIDR, each with an optional :port"),
  DISALLOWED_HOSTS(
      "disallowed_hosts",
      LIST,
      null,
      "hosts sandboxes must not reach, in every network mode; same forms as allowed_hosts"),
  EGRESS_ALLOW_PRIVATE(
      "egress_allow_private",
      LIST,
      null,
      "addresses and CIDR ranges sandboxes may reach although they are loopback, link-local,"
          + " private or the control plane's own (an internal mirror, say)"),
  EGRESS_MAX_CONNECTIONS(
      "egress_max_connections",
      POSITIVE_INT,
      "256",
      "connections one sandbox may have open through the egress proxy (429 beyond)"),
  EGRESS_IDLE_TIMEOUT(
      "egress_idle_timeout",
      DURATION,
      "5m",
      "an egress connection with no byte either way for this long is closed"),
  EGRESS_PROXY_PORT(
      "egress_proxy_port",
      POSITIVE_INT,
      null,
      "kubernetes: TCP port of the egress proxy in the control plane, which sandbox pods reach"
          + " (default 3128; it listens there inside the cluster, or anywhere when this is set)"),
  EGRESS_PROXY_URL(
      "egress_proxy_url",
      TEXT,
      "http://sbx-egress-proxy.sbx-system.svc:3128",
      "kubernetes: the proxy URL sandbox pods get as HTTP_PROXY and HTTPS_PROXY (a Service of the"
          + " control plane's pods)"),
  EGRESS_PROXY_NAMESPACE(
      "egress_proxy_namespace",
      TEXT,
      "sbx-system",
      "kubernetes: namespace of the control plane's pods (app.kubernetes.io/name=sbx-control-plane),"
          + " the only pods sandbox pods may reach besides DNS, and the only ones that may reach"
          + " them"),
  EGRESS_CONNECT_TIMEOUT(
      "egress_connect_timeout",
      DURATION,
      "10s",
      "longest time the egress proxy takes to resolve a host and connect to it (then 504)"),
  IMAGE("image", TEXT, "ubuntu:22.04", "container image (kubernetes runtime)"),
  VOLUME_MODE(
      "volume_mode", CHOICE, "emptydir", "workspace volume (kubernetes)", "emptydir", "pvc"),
  CACHE_MODE(
      "cache_mode", CHOICE, "emptydir", "cache volume (kubernetes)", "emptydir", "hostpath", "pvc"),
  VOLUME_PVC_SIZE("volume_pvc_size", TEXT, "10Gi", "size of the workspace PVC (pvc mode)"),
  VOLUME_PVC_STORAGE_CLASS(
      "volume_pvc_storage_class", TEXT, null, "storage class of the workspace PVC"),
  CACHE_HOSTPATH("cache_hostpath", TEXT, "/var/lib/sbx-cache", "hostPath of the cache"),
  CACHE_PVC_SIZE("cache_pvc_size", TEXT, "5Gi", "size of the cache PVC"),
  CACHE_PVC_STORAGE_CLASS("cache_pvc_storage_class", TEXT, null, "cache PVC storage class"),
  CACHE_PVC_ACCESS_MODE("cache_pvc_access_mode", TEXT, "ReadWriteOnce", "cache PVC access mode"),
  WARM_POOL_SIZE("warm_pool_size", NON_NEGATIVE_INT, "0", "fixed warm pool size"),
  WARM_POOL_AUTOSIZE("warm_pool_autosize", BOOL, "false", "size the warm pool by demand"),
  WARM_POOL_MIN("warm_pool_min", NON_NEGATIVE_INT, "0", "autosized pool minimum"),
  WARM_POOL_MAX("warm_pool_max", NON_NEGATIVE_INT, "0", "autosized pool maximum"),
  IDLE_TTL("idle_ttl", DURATION, "15m", "idle time before a sandbox is reaped"),
  WARM_CONTROL_NAMESPACE(
      "warm_control_namespace", TEXT, "sbx-warm-control", "namespace of the pool's lease"),
  CREATE_READY_TIMEOUT(
      "create_ready_timeout",
      DURATION,
      "60s",
      "how long a new sandbox may take to become Ready (stuck warm ones are retired)"),
  RUN_AS_ROOT(
      "run_as_root",
      BOOL,
      "false",
      "run sandbox containers as root (for images that need it; weakens the pod's security)"),
  EXEC_READY_TIMEOUT(
      "exec_ready_timeout",
      DURATION,
      "20s",
      "how long an exec waits for its sandbox to become ready before a 409"),
  KUBERNETES_REQUEST_TIMEOUT(
      "kubernetes_request_timeout",
      DURATION,
      "10s",
      "longest wait for one Kubernetes API call before the request fails with 503"),
  CPU_REQUEST("cpu_request", TEXT, null, "sandbox container CPU request"),
  MEM_REQUEST("mem_request", TEXT, null, "sandbox container memory request"),
  CPU_LIMIT(
      "cpu_limit",
      ConfigKind.CPU_LIMIT,
      "1",
      "CPU of each sandbox, in cores (1, 0.5, 500m; none for no limit); the most a create may ask"),
  MEM_LIMIT(
      "mem_limit",
      BYTES_LIMIT,
      "1Gi",
      "memory of each sandbox, page cache included (512Mi, 2Gi; none); the most a create may ask"),
  PIDS_LIMIT(
      "pids_limit",
      COUNT_LIMIT,
      "512",
      "processes and threads of each sandbox at once (none for no limit); the most a create may ask"),
  DISK_LIMIT(
      "disk_limit",
      BYTES_LIMIT,
      "2Gi",
      "bytes each sandbox may store in its writable folders (none); the most a create may ask"),
  STREAM_MODE(
      "stream_mode",
      CHOICE,
      "control-plane",
      "who streams exec output",
      "control-plane",
      "sidecar"),
  STREAM_SIDECAR_IMAGE("stream_sidecar_image", TEXT, null, "stream sidecar image"),
  STREAM_ENDPOINT("stream_endpoint", TEXT, null, "control plane URL the sidecar sends to"),
  STREAM_EVENTS_DIR("stream_events_dir", TEXT, "/sbx-events", "sidecar events folder");

  /** What a limit key says to mean that there is no limit. */
  public static final String NO_LIMIT = "none";

  private final String yamlKey;
  private final ConfigKind kind;
  private final String defaultValue;
  private final String description;
  private final List<String> choices;

  ConfigKey(
      String yamlKey, ConfigKind kind, String defaultValue, String description, String... choices) {
    this.yamlKey = yamlKey;
    this.kind = kind;
    this.defaultValue = defaultValue;
    this.description = description;
    this.choices = List.of(choices);
  }

  public String yamlKey() {
    return yamlKey;
  }

  /** The environment variable; for {@link #ENV} the prefix of {@code SANDBOX_ENV_<NAME>}. */
  public String envVar() {
    return "SANDBOX_" + yamlKey.toUpperCase(Locale.ROOT);
  }

  public ConfigKind kind() {
    return kind;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  public List<String> choices() {
    return choices;
  }

  static ConfigKey byYamlKey(String key) {
    for (var k : values()) {
      if (k.yamlKey.equals(key)) {
        return k;
      }
    }
    return null;
  }
}
