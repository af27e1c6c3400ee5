package dev.sbx.controlplane.runtime;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a new sandbox should be, after defaults and the request have been merged.
 *
 * @param id the sandbox's full id ({@code sbx-...})
 * @param env environment of every process in the sandbox, sorted by name
 * @param image container image; only a container runtime can honour it
 * @param command the sandbox's main command; only a container runtime can honour it
 * @param allowedHosts hosts the sandbox may reach
 * @param disallowedHosts hosts the sandbox must not reach
 * @param storage volume and cache settings the request asked for, over the configured ones
 * @param named whether the user chose the id; a warm sandbox has a name of its own, so a named
 *     sandbox is always created cold
 * @param network what the sandbox may reach through the egress proxy, with the host lists
 * @param resources the limits it runs under: those the request asked for, the configured ones for
 *     the rest; never above the configured ones
 */
public record SandboxSpec(
    String id,
    Map<String, String> env,
    @Nullable String image,
    @Nullable List<String> command,
    List<String> allowedHosts,
    List<String> disallowedHosts,
    Storage storage,
    boolean named,
    NetworkMode network,
    Resources resources) {

  // The components again, less network and resources: a record's second constructor lists its
  // own parameters (the duplicates tool reports the pair).
  /** A spec whose network follows its host lists: allowlist when it has allowed hosts. */
  public SandboxSpec(
      String id,
      Map<String, String> env,
      @Nullable String image,
      @Nullable List<String> command,
      List<String> allowedHosts,
      List<String> disallowedHosts,
      Storage storage,
      boolean named) {
    this(
        id,
        env,
        image,
        command,
        allowedHosts,
        disallowedHosts,
        storage,
        named,
        allowedHosts.isEmpty() ? NetworkMode.NONE : NetworkMode.ALLOWLIST,
        Resources.NONE);
  }

  /** The egress policy the sandbox starts with. */
  public EgressPolicy egress() {
    return new EgressPolicy(network, allowedHosts, disallowedHosts);
  }

  /**
   * Storage settings of one request; null fields fall back to the configuration.
   *
   * @param volumeMode workspace volume: emptydir or pvc
   * @param cacheMode cache volume: emptydir, hostpath or pvc
   * @param cachePvcSize size of the cache PVC
   * @param cachePvcStorageClass storage class of the cache PVC
   * @param cachePvcAccessMode access mode of the cache PVC (or rwo, rwx, rox)
   */
  public record Storage(
      @Nullable String volumeMode,
      @Nullable String cacheMode,
      @Nullable String cachePvcSize,
      @Nullable String cachePvcStorageClass,
      @Nullable String cachePvcAccessMode) {

    public static final Storage DEFAULT = new Storage(null, null, null, null, null);
  }
}
