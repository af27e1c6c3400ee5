package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.runtime.EgressPolicy;
import dev.sbx.controlplane.runtime.NetworkMode;
import dev.sbx.controlplane.runtime.Resources;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything a sandbox's Kubernetes objects are built from: the configuration with a request's
 * settings applied, checked.
 *
 * @param image container image
 * @param command the container's command
 * @param env environment of the container, sorted by name
 * @param volumeMode workspace volume: emptydir or pvc
 * @param volumePvcSize size of the workspace PVC
 * @param volumePvcStorageClass its storage class, or null for the cluster's default
 * @param cacheMode cache volume: emptydir, hostpath or pvc
 * @param cacheHostPath node folder of a hostpath cache
 * @param cachePvcSize size of the cache PVC
 * @param cachePvcStorageClass its storage class, or null for the cluster's default
 * @param cachePvcAccessMode its access mode, e.g. ReadWriteOnce
 * @param requests resource requests (cpu, memory), possibly empty
 * @param resources the limits the sandbox runs under: CPU, memory and disk become the container's
 *     limits, disk also the size limit of its emptyDir volumes
 * @param runAsRoot whether the container may run as root
 * @param allowedHosts hosts the sandbox may reach
 * @param disallowedHosts hosts it must not reach
 * @param network what it may reach through the egress proxy, with the host lists
 */
record SandboxTemplate(
    String image,
    List<String> command,
    Map<String, String> env,
    String volumeMode,
    String volumePvcSize,
    @Nullable String volumePvcStorageClass,
    String cacheMode,
    String cacheHostPath,
    String cachePvcSize,
    @Nullable String cachePvcStorageClass,
    String cachePvcAccessMode,
    Map<String, String> requests,
    Resources resources,
    boolean runAsRoot,
    List<String> allowedHosts,
    List<String> disallowedHosts,
    NetworkMode network) {

  static final String EMPTYDIR = "emptydir";
  static final String PVC = "pvc";
  static final String HOSTPATH = "hostpath";

  /** The sandbox's egress policy. */
  EgressPolicy egress() {
    return new EgressPolicy(network, allowedHosts, disallowedHosts);
  }

  /** The same template with another egress policy. */
  SandboxTemplate withEgress(EgressPolicy policy) {
    return new SandboxTemplate(
        image,
        command,
        env,
        volumeMode,
        volumePvcSize,
        volumePvcStorageClass,
        cacheMode,
        cacheHostPath,
        cachePvcSize,
        cachePvcStorageClass,
        cachePvcAccessMode,
        requests,
        resources,
        runAsRoot,
        policy.allowedHosts(),
        policy.disallowedHosts(),
        policy.mode());
  }

  /**
   * The Pod Security level the sandbox's namespace enforces: restricted, unless the template needs
   * root (baseline) or a node folder (privileged, since no other level allows hostPath).
   */
  String podSecurityLevel() {
    if (HOSTPATH.equals(cacheMode)) {
      return "privileged";
    }
    return runAsRoot ? "baseline" : "restricted";
  }
}
