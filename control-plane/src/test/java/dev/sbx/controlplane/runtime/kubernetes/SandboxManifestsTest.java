package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.controlplane.runtime.SandboxSpec;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxManifestsTest {

  @Test
  void podShouldPassPodSecurityRestrictedFieldByField() {
    var pod = SandboxManifests.pod("sbx-a", Templates.template(), Labels.COLD);
    var spec = pod.getSpec();
    var podSecurity = spec.getSecurityContext();
    assertThat(podSecurity.getRunAsNonRoot()).isTrue();
    assertThat(podSecurity.getRunAsUser()).isEqualTo(1000L);
    assertThat(podSecurity.getRunAsGroup()).isEqualTo(1000L);
    assertThat(podSecurity.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var container = spec.getContainers().get(0);
    assertThat(container.getName()).isEqualTo("sandbox");
    var security = container.getSecurityContext();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getPrivileged()).isFalse();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(spec.getAutomountServiceAccountToken()).isFalse();
    assertThat(spec.getEnableServiceLinks()).isFalse();
    assertThat(spec.getHostNetwork()).isNull();
    assertThat(spec.getHostPID()).isNull();
    assertThat(spec.getTolerations()).isNullOrEmpty();
    assertThat(spec.getVolumes()).allSatisfy(v -> assertThat(v.getHostPath()).isNull());
  }

  @Test
  void namespaceShouldEnforceRestrictedAndCarryOurLabels() {
    var template =
        Templates.templates(Templates.config())
            .resolve(
                new SandboxSpec(
                    "sbx-a",
                    Map.of(),
                    null,
                    null,
                    List.of("pypi.org", "github.com"),
                    List.of("evil.example"),
                    SandboxSpec.Storage.DEFAULT,
                    true));
    var namespace = SandboxManifests.namespace("sbx-a", template, Labels.COLD);
    assertThat(namespace.getMetadata().getName()).isEqualTo("sbx-a");
    assertThat(namespace.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "sbx")
        .containsEntry("sbx.dev/sandbox-id", "sbx-a")
        .containsEntry("sbx.dev/launch-type", "cold")
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted")
        .containsEntry("pod-security.kubernetes.io/warn", "restricted")
        .containsEntry("pod-security.kubernetes.io/audit", "restricted");
    assertThat(namespace.getMetadata().getAnnotations())
        .containsEntry("sbx.allowed_hosts", "pypi.org,github.com")
        .containsEntry("sbx.disallowed_hosts", "evil.example");
    var pod = SandboxManifests.pod("sbx-a", template, Labels.COLD);
    assertThat(pod.getMetadata().getLabels()).containsAllEntriesOf(Labels.of("sbx-a", "cold"));
  }

  @Test
  void runAsRootShouldBeAnExplicitOptOutThatRelaxesTheNamespaceToBaseline() {
    var template = Templates.template("SANDBOX_RUN_AS_ROOT", "1");
    var pod = SandboxManifests.pod("sbx-a", template, Labels.COLD);
    assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isNull();
    assertThat(pod.getSpec().getSecurityContext().getRunAsUser()).isNull();
    assertThat(pod.getSpec().getContainers().get(0).getSecurityContext().getPrivileged()).isFalse();
    assertThat(SandboxManifests.namespace("sbx-a", template, Labels.COLD).getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "baseline");
  }

  @Test
  void everyVolumeAndCacheModeShouldGiveItsVolumesAndClaims() {
    for (var volumeMode : List.of("emptydir", "pvc")) {
      for (var cacheMode : List.of("emptydir", "pvc", "hostpath")) {
        var template =
            Templates.template(
                "SANDBOX_VOLUME_MODE", volumeMode,
                "SANDBOX_CACHE_MODE", cacheMode,
                "SANDBOX_CACHE_HOSTPATH", "/var/lib/sbx-cache",
                "SANDBOX_CACHE_PVC_SIZE", "3Gi",
                "SANDBOX_CACHE_PVC_ACCESS_MODE", "rwx");
        var pod = SandboxManifests.pod("sbx-a", template, Labels.COLD);
        var workspace = volume(pod, "workspace");
        var cache = volume(pod, "cache");
        var claims = SandboxManifests.claims("sbx-a", template, Labels.COLD);
        var why = volumeMode + "/" + cacheMode;
        if (volumeMode.equals("pvc")) {
          assertThat(workspace.getPersistentVolumeClaim().getClaimName())
              .as(why)
              .isEqualTo("workspace");
          assertThat(claims.get(0).getSpec().getResources().getRequests().get("storage"))
              .isEqualTo(new Quantity("10Gi"));
          assertThat(claims.get(0).getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        } else {
          assertThat(workspace.getEmptyDir()).as(why).isNotNull();
        }
        switch (cacheMode) {
          case "pvc" -> {
            assertThat(cache.getPersistentVolumeClaim().getClaimName()).as(why).isEqualTo("cache");
            var claim = claims.get(claims.size() - 1);
            assertThat(claim.getMetadata().getName()).isEqualTo("cache");
            assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
            assertThat(claim.getSpec().getResources().getRequests().get("storage"))
                .isEqualTo(new Quantity("3Gi"));
          }
          case "hostpath" -> {
            assertThat(cache.getHostPath().getPath()).as(why).isEqualTo("/var/lib/sbx-cache");
            assertThat(
                    SandboxManifests.namespace("sbx-a", template, Labels.COLD)
                        .getMetadata()
                        .getLabels())
                .containsEntry("pod-security.kubernetes.io/enforce", "privileged");
          }
          default -> assertThat(cache.getEmptyDir()).as(why).isNotNull();
        }
        assertThat(claims)
            .as(why)
            .hasSize((volumeMode.equals("pvc") ? 1 : 0) + (cacheMode.equals("pvc") ? 1 : 0));
        var mounts = pod.getSpec().getContainers().get(0).getVolumeMounts();
        assertThat(mounts)
            .extracting(m -> m.getMountPath())
            .containsExactly("/workspace", "/cache", "/home/sbx");
      }
    }
  }

  @Test
  void aHostPathCacheShouldBeGivenToTheSandboxsUidBeforeTheSandboxStarts() {
    var template = Templates.template("SANDBOX_CACHE_MODE", "hostpath");
    var spec = SandboxManifests.pod("sbx-a", template, Labels.COLD).getSpec();
    // The kubelet makes the folder 0755 root:root and fsGroup does not apply to hostPath.
    assertThat(spec.getInitContainers()).hasSize(1);
    var owner = spec.getInitContainers().get(0);
    assertThat(owner.getCommand()).containsExactly("chown", "1000:1000", "/cache");
    assertThat(owner.getVolumeMounts()).extracting(m -> m.getMountPath()).containsExactly("/cache");
    assertThat(owner.getSecurityContext().getRunAsUser()).isZero();
    assertThat(owner.getSecurityContext().getCapabilities().getAdd()).containsExactly("CHOWN");
    assertThat(owner.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(owner.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    // Nothing to give when the sandbox runs as root, or for a cache the kubelet already gives.
    assertThat(
            SandboxManifests.pod(
                    "sbx-a",
                    Templates.template(
                        "SANDBOX_CACHE_MODE", "hostpath", "SANDBOX_RUN_AS_ROOT", "1"),
                    Labels.COLD)
                .getSpec()
                .getInitContainers())
        .isEmpty();
    assertThat(
            SandboxManifests.pod("sbx-a", Templates.template(), Labels.COLD)
                .getSpec()
                .getInitContainers())
        .isEmpty();
  }

  @Test
  void theSandboxShouldHaveAWritableHomeForImagesThatLeaveItAtRoot() {
    var pod = SandboxManifests.pod("sbx-a", Templates.template(), Labels.COLD);
    assertThat(volume(pod, "home").getEmptyDir()).isNotNull();
    assertThat(pod.getSpec().getContainers().get(0).getVolumeMounts())
        .anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo("/home/sbx"));
  }

  @Test
  void envShouldBeSortedByNameAndResourcesTakenFromTheConfiguration() {
    var template =
        Templates.templates(
                Templates.config(
                    "SANDBOX_CPU_REQUEST", "250m",
                    "SANDBOX_MEM_REQUEST", "256Mi",
                    "SANDBOX_CPU_LIMIT", "1",
                    "SANDBOX_MEM_LIMIT", "1Gi"))
            .resolve(
                new SandboxSpec(
                    "sbx-a",
                    Map.of("ZED", "1", "ALPHA", "2", "MID", "3"),
                    "python:3.12",
                    List.of("python", "-m", "http.server"),
                    List.of(),
                    List.of(),
                    SandboxSpec.Storage.DEFAULT,
                    true));
    var container =
        SandboxManifests.pod("sbx-a", template, Labels.COLD).getSpec().getContainers().get(0);
    assertThat(container.getEnv())
        .extracting(e -> e.getName())
        .containsExactly(
            "ALPHA",
            "HTTPS_PROXY",
            "HTTP_PROXY",
            "MID",
            "NO_PROXY",
            "ZED",
            "http_proxy",
            "https_proxy",
            "no_proxy");
    assertThat(container.getImage()).isEqualTo("python:3.12");
    assertThat(container.getCommand()).containsExactly("python", "-m", "http.server");
    assertThat(container.getResources().getRequests())
        .containsEntry("cpu", new Quantity("250m"))
        .containsEntry("memory", new Quantity("256Mi"));
    assertThat(container.getResources().getLimits())
        .containsEntry("cpu", new Quantity("1"))
        .containsEntry("memory", new Quantity("1Gi"));
  }

  @Test
  void defaultsShouldBeTheOriginalsImageAndAnInitThatReapsOrphans() {
    var container =
        SandboxManifests.pod("sbx-a", Templates.template(), Labels.COLD)
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(container.getImage()).isEqualTo("ubuntu:22.04");
    assertThat(container.getCommand())
        .containsExactly("/bin/sh", "-c", ExecScripts.SANDBOX_INIT, "sbx-init");
    assertThat(container.getResources().getRequests()).isEmpty();
  }

  private static Volume volume(Pod pod, String name) {
    return pod.getSpec().getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
