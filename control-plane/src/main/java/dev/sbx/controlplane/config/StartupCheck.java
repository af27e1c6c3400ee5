package dev.sbx.controlplane.config;

import dev.sbx.controlplane.runtime.local.Bubblewrap;
import dev.sbx.controlplane.web.ListenGuard;
import java.util.Map;

/**
 * The checks that can fail before Spring starts, so that {@code make run} on a machine that cannot
 * work prints one line saying why, not a page of logs.
 */
public final class StartupCheck {

  /** EX_CONFIG from sysexits.h: the configuration is wrong. */
  static final int EXIT_CONFIG = 78;

  private StartupCheck() {}

  /** Throws {@link InvalidConfigException} when the control plane cannot start. */
  public static void check(Map<String, String> env) {
    var config = ConfigLoader.load(env);
    ListenGuard.check(env.getOrDefault("SERVER_ADDRESS", "127.0.0.1"), config.apiToken());
    if ("local".equals(config.runtime())) {
      Bubblewrap.locate(config.bwrap(), env.get("PATH"));
    }
  }

  public static void exitOnProblem(Map<String, String> env) {
    try {
      check(env);
    } catch (InvalidConfigException e) {
      System.err.println("sbx control plane: " + e.getMessage());
      System.exit(EXIT_CONFIG);
    }
  }
}
