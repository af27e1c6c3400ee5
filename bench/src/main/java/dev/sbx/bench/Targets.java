package dev.sbx.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The keys latest.json always has, and the targets the issue sets for some of them. */
final class Targets {

  /**
   * One target.
   *
   * @param key the figure's key in latest.json
   * @param text the target as people read it
   * @param limit the bound
   * @param atMost true for an upper bound, false for a lower one
   */
  record Target(String key, String text, double limit, boolean atMost) {
    Boolean met(Object value) {
      if (!(value instanceof Number number)) {
        return null;
      }
      double v = number.doubleValue();
      return atMost ? v <= limit : v >= limit;
    }
  }

  static final List<String> KEYS =
      List.of(
          "raw_join_spawn_p50_ms",
          "hot_exec_p50_ms",
          "hot_exec_p99_ms",
          "hot_exec_ratio",
          "hot_exec_rps_16",
          "create_to_first_exec_p50_ms",
          "raw_bwrap_spawn_p50_ms",
          "create_to_first_exec_ratio",
          "cold_create_to_first_exec_p50_ms",
          "cold_create_to_first_exec_ratio",
          "healthz_p99_idle_ms",
          "healthz_p99_fork_bomb_ms",
          "fork_bomb_cancel_ms",
          "oom_kill_to_exit_p50_ms",
          "stream_mb_per_s",
          "raw_pipe_mb_per_s",
          "stream_json_ws_default_mb_per_s",
          "stream_json_ws_no_deflate_mb_per_s",
          "stream_binary_mb_per_s",
          "stream_binary_pipe_ratio",
          "stream_output_http_mb_per_s",
          "stream_clients_pipe_mb_per_s",
          "stream_heap_flat",
          "streams_200_heap_mb",
          "control_plane_rss_mb",
          "cli_exec_true_p50_ms",
          "jvm_hello_p50_ms",
          "cli_exec_true_vs_jvm_hello_ratio",
          "sbx_mcp_initialize_p50_ms",
          "sbx_version_p50_ms",
          "warm_claim_p50_ms",
          "warm_claim_api_writes",
          "cold_create_api_writes",
          "egress_download_ratio",
          "egress_download_proxy_ratio",
          "egress_download_paced_ratio",
          "egress_setup_added_p50_ms",
          "egress_setup_added_sandbox_p50_ms",
          "egress_create_to_first_exec_p50_ms",
          "egress_forwarder_pss_mb",
          "egress_1000_tunnels_heap_mb",
          "egress_1000_tunnels_heap_added_mb",
          "files_upload_mb_per_s",
          "files_download_mb_per_s",
          "files_cp_mb_per_s",
          "files_upload_cp_ratio",
          "files_sandbox_pipe_write_mb_per_s",
          "files_upload_sandbox_write_ratio",
          "files_download_cp_ratio",
          "files_archive_upload_files_per_s",
          "files_archive_download_files_per_s",
          "tty_keystroke_p50_ms",
          "tty_keystroke_p99_ms",
          "tty_keystroke_local_pty_p50_ms",
          "tty_keystroke_local_pty_p99_ms");

  static final List<Target> TARGETS =
      List.of(
          new Target("hot_exec_ratio", "<= 1.5", 1.5, true),
          new Target("create_to_first_exec_p50_ms", "<= 50 ms", 50, true),
          new Target(
              "create_to_first_exec_ratio", "<= 3 (against a fresh bwrap spawn of true)", 3, true),
          new Target(
              "cold_create_to_first_exec_ratio",
              "<= 3 (a named create, never from the warm pool)",
              3,
              true),
          new Target("stream_mb_per_s", ">= 250 MB/s", 250, false),
          new Target(
              "stream_json_ws_default_mb_per_s",
              ">= 250 MB/s (node ws, wscat's client, with its defaults)",
              250,
              false),
          new Target(
              "stream_binary_pipe_ratio", ">= 0.4 (binary frames against a pipe)", 0.4, false),
          new Target("cli_exec_true_p50_ms", "<= 250 ms", 250, true),
          // One write per object a sandbox needs before its pod runs: namespace, NetworkPolicy
          // (egress), LimitRange and ResourceQuota (containment), pod. The API has no batch write.
          new Target(
              "cold_create_api_writes",
              "<= 5 (namespace, NetworkPolicy, LimitRange, ResourceQuota, pod)",
              5,
              true),
          new Target("egress_download_ratio", ">= 0.8 (in a sandbox, against direct)", 0.8, false),
          new Target("egress_setup_added_p50_ms", "<= 1 ms", 1, true),
          new Target("files_upload_cp_ratio", ">= 0.3 (curl -T against cp)", 0.3, false),
          new Target("files_download_cp_ratio", ">= 0.3 (curl -o against cp)", 0.3, false),
          new Target("tty_keystroke_p50_ms", "< 5 ms (a byte in, its echo out)", 5, true),
          new Target("control_plane_rss_mb", "<= 300 MB (100 sandboxes, 200 streams)", 300, true));

  private Targets() {}

  static Map<String, Object> evaluate(Map<String, Object> values) {
    var map = new LinkedHashMap<String, Object>();
    for (var target : TARGETS) {
      var row = new LinkedHashMap<String, Object>();
      row.put("target", target.text());
      row.put("value", values.get(target.key()));
      row.put("met", target.met(values.get(target.key())));
      map.put(target.key(), row);
    }
    var flat = new LinkedHashMap<String, Object>();
    flat.put("target", "heap flat while streaming");
    flat.put("value", values.get("stream_heap_flat"));
    flat.put("met", values.get("stream_heap_flat"));
    map.put("stream_heap_flat", flat);
    return map;
  }
}
