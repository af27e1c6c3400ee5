package dev.sbx.controlplane.runtime;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a sandbox may connect to: the mode, then {@code disallowed_hosts}, which win in every mode,
 * and {@code allowed_hosts}, which are all an {@code allowlist} sandbox may reach. Whatever the
 * mode, loopback, link-local, private and the control plane's own addresses stay out of reach
 * unless an allowed address or range names them.
 *
 * @param mode none, allowlist or open
 * @param allowedHosts entries as users wrote them, each valid for {@link HostEntry#parse}
 * @param disallowedHosts likewise
 */
public record EgressPolicy(
    NetworkMode mode, List<String> allowedHosts, List<String> disallowedHosts) {

  public static final EgressPolicy NONE = new EgressPolicy(NetworkMode.NONE, List.of(), List.of());

  public EgressPolicy {
    allowedHosts = List.copyOf(allowedHosts);
    disallowedHosts = List.copyOf(disallowedHosts);
  }

  /**
   * The configured default: {@code SANDBOX_NETWORK} when set, else allowlist when allowed hosts are
   * configured, else none.
   *
   * @param configured the configured mode, or null when unset
   */
  public static NetworkMode defaultMode(@Nullable String configured, List<String> allowedHosts) {
    if (configured != null) {
      return NetworkMode.parse(configured);
    }
    return allowedHosts.isEmpty() ? NetworkMode.NONE : NetworkMode.ALLOWLIST;
  }

  /** The parsed {@code allowed_hosts}. */
  public List<HostEntry> allowed() {
    return parse(allowedHosts);
  }

  /** The parsed {@code disallowed_hosts}. */
  public List<HostEntry> disallowed() {
    return parse(disallowedHosts);
  }

  /** Whether the sandbox may reach anything at all, so that it needs a way out. */
  public boolean hasNetwork() {
    return mode != NetworkMode.NONE;
  }

  /**
   * Checks every entry of a list.
   *
   * @throws IllegalArgumentException naming the first bad entry
   */
  public static List<String> check(List<String> entries) {
    parse(entries);
    return List.copyOf(entries);
  }

  private static List<HostEntry> parse(List<String> entries) {
    var parsed = new ArrayList<HostEntry>(entries.size());
    for (var entry : entries) {
      parsed.add(HostEntry.parse(entry));
    }
    return parsed;
  }
}
