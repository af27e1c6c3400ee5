package dev.sbx.controlplane.runtime.kubernetes;

import jakarta.validation.constraints.NotBlank;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * What sandbox pods are made of unless a create asks otherwise, bound from the {@code sandbox.*}
 * properties that the {@code SANDBOX_IMAGE}, {@code SANDBOX_VOLUME_*}, {@code SANDBOX_CACHE_*},
 * request and {@code SANDBOX_RUN_AS_ROOT} variables and file keys become (see config.ConfigKey for
 * names and defaults). {@link SandboxTemplates} checks the image, quantities and access mode, with
 * errors that name the key.
 *
 * @param image the container image
 * @param volumeMode the workspace volume: emptydir or pvc
 * @param volumePvcSize the size of the workspace PVC
 * @param volumePvcStorageClass the workspace PVC's storage class, or null for the cluster's
 * @param cacheMode the cache volume: emptydir, hostpath or pvc
 * @param cacheHostpath the node folder of a hostpath cache
 * @param cachePvcSize the size of the cache PVC
 * @param cachePvcStorageClass the cache PVC's storage class, or null for the cluster's
 * @param cachePvcAccessMode the cache PVC's access mode (rwo, rwx, rox, rwop or full names)
 * @param cpuRequest the sandbox container's CPU request, or null for none
 * @param memRequest the sandbox container's memory request, or null for none
 * @param runAsRoot whether sandbox containers run as root
 */
@Validated
@ConfigurationProperties("sandbox")
record SandboxTemplateProperties(
    @NotBlank String image,
    @NotBlank String volumeMode,
    @NotBlank String volumePvcSize,
    @Nullable String volumePvcStorageClass,
    @NotBlank String cacheMode,
    @NotBlank String cacheHostpath,
    @NotBlank String cachePvcSize,
    @Nullable String cachePvcStorageClass,
    @NotBlank String cachePvcAccessMode,
    @Nullable String cpuRequest,
    @Nullable String memRequest,
    boolean runAsRoot) {}
