package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.runtime.Resources;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SeccompProfileBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Builds a sandbox's Kubernetes objects from its template. Pure and client-free: the same inputs
 * always give the same objects, so they are tested without a server.
 */
final class SandboxManifests {

  static final String WORKSPACE = "workspace";
  static final String CACHE = "cache";
  static final String EVENTS = "sbx-events";
  static final String STREAM = "stream";
  static final String HOME = "home";
  static final String HOME_PATH = "/home/sbx";
  static final String CACHE_OWNER = "cache-owner";

  /** The Secret holding the sidecar's ingest token, in the sandbox's namespace. */
  static final String INGEST_SECRET = "sbx-ingest-token";

  static final String INGEST_SECRET_KEY = "token";
  static final long SANDBOX_UID = 1000;
  private static final SeccompProfile RUNTIME_DEFAULT =
      new SeccompProfileBuilder().withType("RuntimeDefault").build();

  private SandboxManifests() {}

  /** The sandbox's namespace, named by its id, with the Pod Security level its pod needs. */
  static Namespace namespace(String id, SandboxTemplate template, String launchType) {
    return namespace(id, template, launchType, null);
  }

  /**
   * @param ingestTokenSha256 the SHA-256 of the sandbox's ingest token (sidecar mode), kept here so
   *     that it outlives the control plane's process
   */
  static Namespace namespace(
      String id, SandboxTemplate template, String launchType, @Nullable String ingestTokenSha256) {
    var annotations = hostAnnotations(template);
    if (ingestTokenSha256 != null) {
      annotations.put(Labels.INGEST_TOKEN_SHA256, ingestTokenSha256);
    }
    var labels = new LinkedHashMap<>(Labels.of(id, launchType));
    var level = template.podSecurityLevel();
    labels.put("pod-security.kubernetes.io/enforce", level);
    labels.put("pod-security.kubernetes.io/warn", level);
    labels.put("pod-security.kubernetes.io/audit", level);
    return new NamespaceBuilder()
        .withNewMetadata()
        .withName(id)
        .withLabels(labels)
        .withAnnotations(annotations)
        .endMetadata()
        .build();
  }

  /** The pod {@code sandbox} with its one container {@code sandbox}. */
  static Pod pod(String id, SandboxTemplate template, String launchType) {
    return pod(id, template, launchType, SidecarSettings.OFF);
  }

  /**
   * The pod {@code sandbox}: the container {@code sandbox}, and in sidecar mode the native sidecar
   * {@code stream} with the events folder shared between them.
   */
  static Pod pod(String id, SandboxTemplate template, String launchType, SidecarSettings sidecar) {
    var mounts =
        new ArrayList<>(
            List.of(
                new VolumeMountBuilder().withName(WORKSPACE).withMountPath("/workspace").build(),
                new VolumeMountBuilder().withName(CACHE).withMountPath("/cache").build(),
                new VolumeMountBuilder().withName(HOME).withMountPath(HOME_PATH).build()));
    var volumes =
        new ArrayList<>(List.of(workspace(template), cache(template), emptyDir(HOME, template)));
    var containers = new ArrayList<Container>();
    var initContainers = new ArrayList<Container>();
    if (SandboxTemplate.HOSTPATH.equals(template.cacheMode()) && !template.runAsRoot()) {
      initContainers.add(cacheOwner(template));
    }
    if (sidecar.enabled()) {
      mounts.add(events(sidecar));
      volumes.add(emptyDir(EVENTS, template));
    }
    var container =
        new ContainerBuilder()
            .withName(Labels.CONTAINER)
            .withImage(template.image())
            .withCommand(template.command())
            .withEnv(env(template.env()))
            .withWorkingDir("/workspace")
            .withVolumeMounts(mounts)
            .withResources(SandboxLimits.container(template))
            .withSecurityContext(containerSecurity(template.runAsRoot()))
            .build();
    containers.add(container);
    if (sidecar.enabled()) {
      initContainers.add(stream(sidecar, template.resources()));
    }
    var security =
        template.runAsRoot()
            ? new PodSecurityContextBuilder().withSeccompProfile(RUNTIME_DEFAULT).build()
            : new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withRunAsUser(SANDBOX_UID)
                .withRunAsGroup(SANDBOX_UID)
                .withFsGroup(SANDBOX_UID)
                .withSeccompProfile(RUNTIME_DEFAULT)
                .build();
    return new PodBuilder()
        .withNewMetadata()
        .withName(Labels.POD_NAME)
        .withNamespace(id)
        .withLabels(Labels.of(id, launchType))
        .withAnnotations(podAnnotations(template))
        .endMetadata()
        .withNewSpec()
        .withInitContainers(initContainers)
        .withContainers(containers)
        .withVolumes(volumes)
        .withSecurityContext(security)
        // No API credentials, no service variables, no second start: a sandbox that died is
        // reported, not silently recreated without the processes it had. (The stream sidecar
        // restarts on its own: it is an init container with restartPolicy Always.)
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withRestartPolicy("Never")
        .withTerminationGracePeriodSeconds(5L)
        .endSpec()
        .build();
  }

  /**
   * The stream sidecar: as locked down as a non-root sandbox whatever the template says, with small
   * requests; it reads the events folder and talks to the control plane, nothing else. A native
   * sidecar (an init container with restartPolicy Always, on by default since Kubernetes 1.29): the
   * kubelet restarts it when it exits, while the pod's restartPolicy Never keeps the sandbox from
   * being restarted, and it picks up from its state files in the shared folder. Its ingest token
   * comes from the namespace's Secret, so reading pods does not reveal it.
   */
  private static Container stream(SidecarSettings sidecar, Resources sandbox) {
    return new ContainerBuilder()
        .withName(STREAM)
        .withImage(sidecar.image())
        .withRestartPolicy("Always")
        .withEnv(
            new EnvVar("SBX_STREAM_ENDPOINT", sidecar.endpoint(), null),
            new EnvVar("SBX_EVENTS_DIR", sidecar.eventsDir(), null),
            new EnvVarBuilder()
                .withName("SBX_SANDBOX_ID")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("metadata.namespace")
                .endFieldRef()
                .endValueFrom()
                .build(),
            new EnvVarBuilder()
                .withName("SBX_INGEST_TOKEN")
                .withNewValueFrom()
                .withNewSecretKeyRef()
                .withName(INGEST_SECRET)
                .withKey(INGEST_SECRET_KEY)
                .endSecretKeyRef()
                .endValueFrom()
                .build())
        .withVolumeMounts(events(sidecar))
        .withResources(SandboxLimits.sidecar(sandbox))
        .withSecurityContext(
            new SecurityContextBuilder(containerSecurity(false))
                .withRunAsNonRoot(true)
                .withReadOnlyRootFilesystem(true)
                .build())
        .build();
  }

  /** The sidecar's ingest token, as the Secret the stream container reads it from. */
  static Secret ingestSecret(String id, String launchType, String token) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(INGEST_SECRET)
        .withNamespace(id)
        .withLabels(Labels.of(id, launchType))
        .endMetadata()
        .withType("Opaque")
        .withImmutable(true)
        .withStringData(Map.of(INGEST_SECRET_KEY, token))
        .build();
  }

  /**
   * Gives the node's cache folder to the sandbox's uid before the sandbox starts: the kubelet makes
   * a DirectoryOrCreate hostPath 0755 as root, and fsGroup does not apply to hostPath volumes. It
   * runs as root with CAP_CHOWN alone, which the namespace's "privileged" level (that hostPath
   * needs anyway) admits; with run_as_root there is nothing to give.
   */
  private static Container cacheOwner(SandboxTemplate template) {
    return new ContainerBuilder()
        .withName(CACHE_OWNER)
        .withImage(template.image())
        .withCommand("chown", SANDBOX_UID + ":" + SANDBOX_UID, "/cache")
        .withVolumeMounts(new VolumeMountBuilder().withName(CACHE).withMountPath("/cache").build())
        .withSecurityContext(
            new SecurityContextBuilder()
                .withRunAsUser(0L)
                .withRunAsGroup(0L)
                .withRunAsNonRoot(false)
                .withAllowPrivilegeEscalation(false)
                .withPrivileged(false)
                .withNewCapabilities()
                .withDrop("ALL")
                .withAdd("CHOWN")
                .endCapabilities()
                .build())
        .build();
  }

  private static SecurityContext containerSecurity(boolean runAsRoot) {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(runAsRoot ? null : false)
        .withPrivileged(false)
        .withNewCapabilities()
        .withDrop(runAsRoot ? List.of() : List.of("ALL"))
        .endCapabilities()
        .build();
  }

  private static VolumeMount events(SidecarSettings sidecar) {
    return new VolumeMountBuilder().withName(EVENTS).withMountPath(sidecar.eventsDir()).build();
  }

  /** The PVCs the template needs (workspace and/or cache), in creation order. */
  static List<PersistentVolumeClaim> claims(
      String id, SandboxTemplate template, String launchType) {
    var claims = new ArrayList<PersistentVolumeClaim>();
    if (SandboxTemplate.PVC.equals(template.volumeMode())) {
      claims.add(
          claim(
              id,
              WORKSPACE,
              template.volumePvcSize(),
              template.volumePvcStorageClass(),
              "ReadWriteOnce",
              launchType));
    }
    if (SandboxTemplate.PVC.equals(template.cacheMode())) {
      claims.add(
          claim(
              id,
              CACHE,
              template.cachePvcSize(),
              template.cachePvcStorageClass(),
              template.cachePvcAccessMode(),
              launchType));
    }
    return claims;
  }

  private static PersistentVolumeClaim claim(
      String id,
      String name,
      String size,
      @Nullable String storageClass,
      String accessMode,
      String launchType) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(id)
        .withLabels(Labels.of(id, launchType))
        .endMetadata()
        .withNewSpec()
        .withAccessModes(accessMode)
        .withStorageClassName(storageClass)
        .withNewResources()
        .withRequests(Map.of("storage", new Quantity(size)))
        .endResources()
        .endSpec()
        .build();
  }

  private static Volume workspace(SandboxTemplate template) {
    var volume = new VolumeBuilder().withName(WORKSPACE);
    return SandboxTemplate.PVC.equals(template.volumeMode())
        ? volume.withNewPersistentVolumeClaim(WORKSPACE, false).build()
        : emptyDir(WORKSPACE, template);
  }

  private static Volume cache(SandboxTemplate template) {
    var volume = new VolumeBuilder().withName(CACHE);
    return switch (template.cacheMode()) {
      case SandboxTemplate.PVC -> volume.withNewPersistentVolumeClaim(CACHE, false).build();
      case SandboxTemplate.HOSTPATH ->
          volume
              .withNewHostPath()
              .withPath(template.cacheHostPath())
              .withType("DirectoryOrCreate")
              .endHostPath()
              .build();
      default -> emptyDir(CACHE, template);
    };
  }

  private static List<EnvVar> env(Map<String, String> env) {
    return env.entrySet().stream().map(e -> new EnvVar(e.getKey(), e.getValue(), null)).toList();
  }

  /**
   * An emptyDir no larger than the sandbox's disk limit: the kubelet evicts the pod that fills one
   * past it (Kubernetes has no ENOSPC for emptyDir on a node's disk).
   */
  private static Volume emptyDir(String name, SandboxTemplate template) {
    return new VolumeBuilder()
        .withName(name)
        .withNewEmptyDir()
        .withSizeLimit(SandboxLimits.emptyDirSize(template.resources()))
        .endEmptyDir()
        .build();
  }

  private static Map<String, String> podAnnotations(SandboxTemplate template) {
    var annotations = hostAnnotations(template);
    annotations.putAll(SandboxLimits.annotations(template.resources()));
    return annotations;
  }

  private static Map<String, String> hostAnnotations(SandboxTemplate template) {
    return new LinkedHashMap<>(EgressObjects.annotations(template.egress()));
  }
}
