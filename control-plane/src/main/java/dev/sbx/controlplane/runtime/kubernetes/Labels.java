package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.runtime.LaunchType;
import java.util.Map;

/**
 * The labels and annotations on everything the control plane creates. Listing, lookup and clean-up
 * select by label, never by name pattern, so namespaces that merely look like ours are left alone.
 */
final class Labels {

  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String MANAGER = "sbx";
  static final String SANDBOX_ID = "sbx.dev/sandbox-id";
  static final String LAUNCH_TYPE = "sbx.dev/launch-type";
  static final String COLD = LaunchType.COLD.wireName();
  static final String WARM = LaunchType.WARM.wireName();

  /** On a warm sandbox's pod once a create took it; set with one guarded write. */
  static final String CLAIMED = "sbx.dev/claimed";

  static final String CLAIMED_AT = "sbx.dev/claimed-at";
  static final String ALLOWED_HOSTS = "sbx.allowed_hosts";
  static final String DISALLOWED_HOSTS = "sbx.disallowed_hosts";
  static final String LAST_EXEC_AT = "sbx.last_exec_at";
  static final String INGEST_TOKEN_SHA256 = "sbx.dev/ingest-token-sha256";

  static final String POD_NAME = "sandbox";
  static final String CONTAINER = "sandbox";

  private Labels() {}

  static Map<String, String> of(String sandboxId, String launchType) {
    return Map.of(MANAGED_BY, MANAGER, SANDBOX_ID, sandboxId, LAUNCH_TYPE, launchType);
  }

  /** The selector that finds every sandbox object of this control plane. */
  static Map<String, String> managed() {
    return Map.of(MANAGED_BY, MANAGER);
  }
}
