package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.controlplane.runtime.Resources;
import dev.sbx.controlplane.runtime.SandboxSpec;
import dev.sbx.controlplane.testing.Specs;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A sandbox's limits as container limits, emptyDir sizes, a LimitRange and a ResourceQuota. The
 * mock API server admits anything, so {@link #admit} plays the real one's LimitRanger and
 * ResourceQuota admission for the pods we make and for a pod someone makes later.
 */
class SandboxLimitsTest {

  private static final SidecarSettings SIDECAR =
      new SidecarSettings("sbx-stream-sidecar:dev", "http://cp:8080", "/sbx-events");

  @Test
  void theConfiguredLimitsShouldBecomeTheContainersLimitsAndTheEmptyDirsSize() {
    var pod = SandboxManifests.pod("sbx-a", Templates.template(), Labels.COLD, SIDECAR);
    var sandbox = pod.getSpec().getContainers().get(0);
    assertThat(sandbox.getResources().getLimits())
        .containsEntry("cpu", new Quantity("1"))
        .containsEntry("memory", new Quantity("1Gi"))
        .containsEntry("ephemeral-storage", new Quantity("2Gi"));
    assertThat(pod.getSpec().getVolumes())
        .extracting(v -> v.getName() + "=" + v.getEmptyDir().getSizeLimit())
        .containsExactly("workspace=2Gi", "cache=2Gi", "home=2Gi", "sbx-events=2Gi");
    assertThat(pod.getMetadata().getAnnotations()).containsEntry("sbx.dev/pids-limit", "512");
    assertThat(SandboxLimits.of(pod)).isEqualTo(new Resources(1000L, 1L << 30, 512L, 2L << 30));
  }

  @Test
  void lowerLimitsACreateAsksForShouldReplaceTheConfiguredOnesAndLowerTheRequests() {
    var asked = new Resources(250L, 256L << 20, 64L, 100_000_000L);
    var template =
        Templates.templates(
                Templates.config("SANDBOX_CPU_REQUEST", "500m", "SANDBOX_MEM_REQUEST", "128Mi"))
            .resolve(spec(asked));
    var container = SandboxManifests.pod("sbx-a", template, Labels.COLD).getSpec().getContainers();
    var resources = container.get(0).getResources();
    assertThat(resources.getLimits())
        .containsEntry("cpu", new Quantity("250m"))
        .containsEntry("memory", new Quantity("256Mi"))
        .containsEntry("ephemeral-storage", new Quantity("100000000"));
    // The API server refuses a request above its limit: 500m is lowered to the 250m asked for.
    assertThat(resources.getRequests())
        .containsEntry("cpu", new Quantity("250m"))
        .containsEntry("memory", new Quantity("128Mi"));
    assertThat(SandboxLimits.of(SandboxManifests.pod("sbx-a", template, Labels.COLD)))
        .isEqualTo(asked);
  }

  @Test
  void limitsConfiguredAsNoneShouldLeaveTheirFieldsOutEverywhere() {
    var template =
        Templates.template(
            "SANDBOX_CPU_LIMIT",
            "none",
            "SANDBOX_DISK_LIMIT",
            "none",
            "SANDBOX_PIDS_LIMIT",
            "none");
    var pod = SandboxManifests.pod("sbx-a", template, Labels.COLD, SIDECAR);
    assertThat(pod.getSpec().getContainers().get(0).getResources().getLimits())
        .containsOnlyKeys("memory");
    assertThat(pod.getSpec().getVolumes())
        .allSatisfy(v -> assertThat(v.getEmptyDir().getSizeLimit()).isNull());
    assertThat(pod.getMetadata().getAnnotations()).doesNotContainKey("sbx.dev/pids-limit");
    var quota = SandboxLimits.quota("sbx-a", pod, 0, Labels.COLD);
    assertThat(quota.getSpec().getHard())
        .containsOnlyKeys("pods", "persistentvolumeclaims", "limits.memory");
  }

  @Test
  void everyPodWeMakeShouldPassTheRealAdmissionOfItsOwnNamespace() {
    var variants = new LinkedHashMap<String, Pod>();
    variants.put("defaults", SandboxManifests.pod("sbx-a", Templates.template(), Labels.COLD));
    variants.put(
        "defaults, sidecar",
        SandboxManifests.pod("sbx-a", Templates.template(), Labels.WARM, SIDECAR));
    var small = new Resources(100L, 64L << 20, 32L, 32L << 20);
    variants.put(
        "below the sidecar's own limits, sidecar",
        SandboxManifests.pod(
            "sbx-a",
            Templates.templates(Templates.config()).resolve(spec(small)),
            Labels.COLD,
            SIDECAR));
    variants.put(
        "no cpu or disk limit, sidecar",
        SandboxManifests.pod(
            "sbx-a",
            Templates.template("SANDBOX_CPU_LIMIT", "none", "SANDBOX_DISK_LIMIT", "none"),
            Labels.COLD,
            SIDECAR));
    variants.forEach(
        (name, pod) -> {
          var range = SandboxLimits.limitRange("sbx-a", pod, Labels.COLD);
          var quota = SandboxLimits.quota("sbx-a", pod, 0, Labels.COLD);
          assertThat(admit(pod, range, quota, List.of())).as(name).isEmpty();
        });
  }

  @Test
  void nothingMadeInTheNamespaceLaterShouldGetMoreThanTheSandboxsLimits() {
    var pod = SandboxManifests.pod("sbx-a", Templates.template(), Labels.COLD);
    var range = SandboxLimits.limitRange("sbx-a", pod, Labels.COLD);
    var quota = SandboxLimits.quota("sbx-a", pod, 0, Labels.COLD);
    var bare =
        new PodBuilder().withNewSpec().addNewContainer().withName("x").endContainer().endSpec();

    // A second pod, even one that asks for nothing, does not fit beside the sandbox's.
    assertThat(admit(bare.build(), range, quota, List.of(pod)))
        .anyMatch(problem -> problem.startsWith("exceeded quota: pods"));
    // Alone (the sandbox's pod gone), a pod with no limits gets the sandbox's as defaults...
    var defaulted = bare.build();
    assertThat(admit(defaulted, range, quota, List.of())).isEmpty();
    assertThat(defaulted.getSpec().getContainers().get(0).getResources().getLimits())
        .isEqualTo(pod.getSpec().getContainers().get(0).getResources().getLimits());
    // ...and one that asks for more is refused.
    var greedy =
        new PodBuilder()
            .withNewSpec()
            .addToContainers(
                new ContainerBuilder()
                    .withName("x")
                    .withNewResources()
                    .addToLimits("memory", new Quantity("8Gi"))
                    .endResources()
                    .build())
            .endSpec()
            .build();
    assertThat(admit(greedy, range, quota, List.of()))
        .anyMatch(problem -> problem.startsWith("maximum memory usage per Container is 1Gi"));
  }

  private static SandboxSpec spec(Resources resources) {
    return Specs.named("sbx-a", resources);
  }

  /**
   * What a real API server's admission says about a new pod in a namespace with this LimitRange and
   * quota, beside the pods already there (empty: admitted). Like the LimitRanger plugin it first
   * fills in missing limits from the range's defaults; like the ResourceQuota plugin it then
   * refuses a pod that leaves out a limit the quota counts, or that would take the namespace past
   * the quota.
   */
  static List<String> admit(Pod pod, LimitRange range, ResourceQuota quota, List<Pod> existing) {
    return admitContainers(pod, range, quota, existing);
  }

  /** Every container the LimitRanger and the quota look at: init containers included. */
  private static List<Container> all(Pod pod) {
    var all = new ArrayList<>(pod.getSpec().getContainers());
    if (pod.getSpec().getInitContainers() != null) {
      all.addAll(pod.getSpec().getInitContainers());
    }
    return all;
  }

  /**
   * What runs at once: the containers and the native sidecars (init, restartPolicy Always).
   * SandboxLimits.running's lines again, on purpose: this plays the API server's admission, which
   * must not lean on the code it checks (the duplicates tool reports the pair).
   */
  private static List<Container> sideBySide(Pod pod) {
    var running = new ArrayList<>(pod.getSpec().getContainers());
    if (pod.getSpec().getInitContainers() != null) {
      pod.getSpec().getInitContainers().stream()
          .filter(c -> "Always".equals(c.getRestartPolicy()))
          .forEach(running::add);
    }
    return running;
  }

  private static List<String> admitContainers(
      Pod pod, LimitRange range, ResourceQuota quota, List<Pod> existing) {
    var problems = new ArrayList<String>();
    var item = range.getSpec().getLimits().get(0);
    for (Container container : all(pod)) {
      if (container.getResources() == null) {
        container.setResources(new ResourceRequirements());
      }
      var limits = new LinkedHashMap<>(nonNull(container.getResources().getLimits()));
      if (item.getDefault() != null) {
        item.getDefault().forEach(limits::putIfAbsent);
      }
      container.getResources().setLimits(limits);
      // The API server defaults a missing request to its limit.
      var requests = new LinkedHashMap<>(nonNull(container.getResources().getRequests()));
      limits.forEach(requests::putIfAbsent);
      container.getResources().setRequests(requests);
      requests.forEach(
          (name, request) -> {
            var limit = limits.get(name);
            if (limit != null && amount(request).compareTo(amount(limit)) > 0) {
              problems.add(container.getName() + ": " + name + " request above its limit");
            }
          });
      if (item.getMax() != null) {
        item.getMax()
            .forEach(
                (name, max) -> {
                  var limit = limits.get(name);
                  if (limit == null) {
                    problems.add(container.getName() + ": no " + name + " limit, range has a max");
                  } else if (amount(limit).compareTo(amount(max)) > 0) {
                    problems.add("maximum " + name + " usage per Container is " + max);
                  }
                });
      }
    }
    var hard = quota.getSpec().getHard();
    var all = new ArrayList<>(existing);
    all.add(pod);
    hard.forEach(
        (key, max) -> {
          if (key.equals("pods")) {
            if (all.size() > amount(max).intValue()) {
              problems.add("exceeded quota: pods, used " + existing.size() + ", limited " + max);
            }
            return;
          }
          if (!key.startsWith("limits.")) {
            return;
          }
          var name = key.substring("limits.".length());
          for (var container : all(pod)) {
            if (!container.getResources().getLimits().containsKey(name)) {
              problems.add("must specify " + key + " for: " + container.getName());
            }
          }
          var used =
              all.stream()
                  .flatMap(p -> sideBySide(p).stream())
                  .map(c -> nonNull(c.getResources().getLimits()).get(name))
                  .filter(q -> q != null)
                  .map(SandboxLimitsTest::amount)
                  .reduce(BigDecimal.ZERO, BigDecimal::add);
          if (used.compareTo(amount(max)) > 0) {
            problems.add("exceeded quota: " + key + ", requested " + used + ", limited " + max);
          }
        });
    return problems;
  }

  private static Map<String, Quantity> nonNull(Map<String, Quantity> map) {
    return map == null ? Map.of() : map;
  }

  private static BigDecimal amount(Quantity quantity) {
    return Quantity.getAmountInBytes(quantity);
  }
}
