package dev.sbx.controlplane;

import dev.sbx.controlplane.config.ConfigKey;
import dev.sbx.controlplane.config.ConfigLoader;
import dev.sbx.controlplane.config.InvalidConfigException;
import dev.sbx.controlplane.peers.ReplicaCheck;
import dev.sbx.controlplane.runtime.local.Bubblewrap;
import dev.sbx.controlplane.web.ListenGuard;
import java.util.List;
import java.util.Map;

/**
 * The checks that can fail before Spring starts, so that {@code make run} on a machine that cannot
 * work prints one line saying why, not a page of logs. The same checks run again inside the context
 * (for embedded use and tests), where the failure analyzer reports them the same way.
 */
final class StartupCheck {

  private StartupCheck() {}

  /** Throws {@link InvalidConfigException} when the control plane cannot start. */
  static void check(Map<String, String> env) {
    var config = ConfigLoader.load(env);
    ListenGuard.check(env.getOrDefault("SERVER_ADDRESS", "127.0.0.1"), config.apiToken());
    ReplicaCheck.check(
        config.runtime(),
        config.text(ConfigKey.PEERS_SERVICE),
        (List<?>) config.value(ConfigKey.PEERS),
        config.text(ConfigKey.PEER_ADDRESS),
        config.text(ConfigKey.PEER_SECRET),
        config.apiToken());
    if ("local".equals(config.runtime())) {
      Bubblewrap.locate(config.bwrap(), env.get("PATH"));
    }
  }

  static void exitOnProblem(Map<String, String> env) {
    try {
      check(env);
    } catch (InvalidConfigException e) {
      System.err.println(e.oneLine());
      System.exit(e.getExitCode());
    }
  }
}
