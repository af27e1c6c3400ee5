package dev.sbx.controlplane.sandbox;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /sandboxes}; every field may be left out.
 *
 * @param id the sandbox's id, generated when absent
 * @param image container image (Kubernetes runtime)
 * @param command the sandbox's main command (Kubernetes runtime)
 * @param volumeMode workspace volume: emptydir or pvc
 * @param cacheMode cache volume: emptydir, hostpath or pvc
 * @param cachePvcSize size of the cache PVC
 * @param cachePvcStorageClass storage class of the cache PVC
 * @param cachePvcAccessMode access mode of the cache PVC
 * @param env environment of every process in the sandbox, over the configured one
 * @param allowedHosts hosts the sandbox may reach, instead of the configured list; without {@code
 *     network}, they make it {@code allowlist}
 * @param disallowedHosts hosts the sandbox must not reach, instead of the configured list
 * @param network none, allowlist or open, instead of the configured mode
 * @param resources limits below the configured ones
 */
public record CreateSandboxRequest(
    @Nullable String id,
    @Nullable String image,
    @Nullable List<String> command,
    @Nullable String volumeMode,
    @Nullable String cacheMode,
    @Nullable String cachePvcSize,
    @Nullable String cachePvcStorageClass,
    @Nullable String cachePvcAccessMode,
    @Nullable Map<String, String> env,
    @Nullable List<String> allowedHosts,
    @Nullable List<String> disallowedHosts,
    @Nullable String network,
    @Nullable ResourcesRequest resources) {

  static final CreateSandboxRequest EMPTY =
      new CreateSandboxRequest(
          null, null, null, null, null, null, null, null, null, null, null, null, null);
}
