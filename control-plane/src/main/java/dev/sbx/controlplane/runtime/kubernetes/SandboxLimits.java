package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.config.Quantities;
import dev.sbx.controlplane.runtime.Resources;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.LimitRangeItemBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A sandbox's limits as Kubernetes objects: the containers' limits, the size limit of its {@code
 * emptyDir} volumes, and a LimitRange and a ResourceQuota in its namespace that hold whatever is
 * created there later to the same bounds. Pure and client-free, like {@link SandboxManifests}.
 *
 * <p>Processes have no per-pod field in Kubernetes: the kubelet's {@code podPidsLimit} bounds every
 * pod of a node alike, so the pids limit is reported as not enforced per sandbox.
 */
final class SandboxLimits {

  static final String NAME = "sbx-limits";
  static final String CPU = "cpu";
  static final String MEMORY = "memory";
  static final String DISK = "ephemeral-storage";

  /** On the pod: the pids limit it was created with, which no pod field can carry. */
  static final String PIDS_ANNOTATION = "sbx.dev/pids-limit";

  static final String PIDS_UNENFORCED =
      "Kubernetes limits processes per node, not per pod: the kubelet's podPidsLimit holds every"
          + " pod of a node (deploy/kind/cluster.yaml sets 1024; docs/kubernetes.md)";

  // The stream sidecar tails files and sends them on: it needs little, and gets limits of its own
  // for everything the quota counts, since a real API server refuses a container without them.
  private static final Map<String, Quantity> SIDECAR_REQUESTS =
      Map.of(CPU, new Quantity("10m"), MEMORY, new Quantity("64Mi"));
  private static final Map<String, Quantity> SIDECAR_LIMITS =
      Map.of(CPU, new Quantity("500m"), MEMORY, new Quantity("128Mi"), DISK, new Quantity("64Mi"));

  private SandboxLimits() {}

  /**
   * The sandbox container's requests and limits. A configured request above a limit the create
   * asked for is lowered to it, since the API server refuses a request above its limit.
   */
  static ResourceRequirements container(SandboxTemplate template) {
    var limits = limits(template.resources());
    var requests = new LinkedHashMap<String, Quantity>();
    template
        .requests()
        .forEach(
            (name, value) -> {
              var request = new Quantity(value);
              var limit = limits.get(name);
              requests.put(
                  name,
                  limit != null && amount(limit).compareTo(amount(request)) < 0 ? limit : request);
            });
    return new ResourceRequirementsBuilder().withRequests(requests).withLimits(limits).build();
  }

  /** The stream sidecar's requests and limits: only those the sandbox's limits make count. */
  static ResourceRequirements sidecar(Resources sandbox) {
    var limits = new LinkedHashMap<String, Quantity>();
    limits.put(MEMORY, SIDECAR_LIMITS.get(MEMORY)); // always: a leak must not grow without end
    limits(sandbox).keySet().forEach(name -> limits.put(name, SIDECAR_LIMITS.get(name)));
    return new ResourceRequirementsBuilder()
        .withRequests(SIDECAR_REQUESTS)
        .withLimits(limits)
        .build();
  }

  /** The size limit of each {@code emptyDir} of the sandbox, or null for none. */
  static @Nullable Quantity emptyDirSize(Resources resources) {
    return resources.diskBytes() == null ? null : new Quantity(resources.diskText());
  }

  /**
   * Containers created in the namespace later get the sandbox's limits unless they give their own,
   * and may not give more than the largest of its pod's.
   */
  static LimitRange limitRange(String id, Pod pod, String launchType) {
    var containers = running(pod);
    var sandbox = containers.get(0).getResources().getLimits();
    var max = new LinkedHashMap<String, Quantity>();
    for (var name : tracked(containers)) {
      max.put(
          name,
          containers.stream()
              .map(c -> c.getResources().getLimits().get(name))
              .max((a, b) -> amount(a).compareTo(amount(b)))
              .orElseThrow());
    }
    var item = new LimitRangeItemBuilder().withType("Container").withMax(max);
    if (!max.isEmpty()) {
      var defaults = new LinkedHashMap<String, Quantity>();
      max.keySet().forEach(name -> defaults.put(name, sandbox.get(name)));
      item.withDefault(defaults);
    }
    return new LimitRangeBuilder()
        .withNewMetadata()
        .withName(NAME)
        .withNamespace(id)
        .withLabels(Labels.of(id, launchType))
        .endMetadata()
        .withNewSpec()
        .withLimits(item.build())
        .endSpec()
        .build();
  }

  /**
   * The namespace holds its one pod and nothing more: the sum of its pod's limits, one pod, and the
   * PVCs it was made with.
   */
  static ResourceQuota quota(String id, Pod pod, int claims, String launchType) {
    var hard = new LinkedHashMap<String, Quantity>();
    hard.put("pods", new Quantity("1"));
    hard.put("persistentvolumeclaims", new Quantity(String.valueOf(claims)));
    var containers = running(pod);
    for (var name : tracked(containers)) {
      var sum =
          containers.stream()
              .map(c -> amount(c.getResources().getLimits().get(name)))
              .reduce(BigDecimal.ZERO, BigDecimal::add);
      hard.put("limits." + name, quantity(name, sum));
    }
    // The LimitRange's metadata again: each fabric8 builder has its own nested metadata type, so
    // the chain is written once per kind (the duplicates tool reports the pair).
    return new ResourceQuotaBuilder()
        .withNewMetadata()
        .withName(NAME)
        .withNamespace(id)
        .withLabels(Labels.of(id, launchType))
        .endMetadata()
        .withNewSpec()
        .withHard(hard)
        .endSpec()
        .build();
  }

  /**
   * The containers that run side by side for the pod's life: its containers and its native sidecars
   * (init containers with restartPolicy Always, such as the stream sidecar), which the API server's
   * quota counts with them.
   */
  private static List<Container> running(Pod pod) {
    var running = new ArrayList<>(pod.getSpec().getContainers());
    if (pod.getSpec().getInitContainers() != null) {
      pod.getSpec().getInitContainers().stream()
          .filter(c -> "Always".equals(c.getRestartPolicy()))
          .forEach(running::add);
    }
    return running;
  }

  /**
   * The limits a pod was created with, read back from its sandbox container and its annotation;
   * null components where it has none.
   */
  static Resources of(@Nullable Pod pod) {
    if (pod == null || pod.getSpec() == null || pod.getSpec().getContainers().isEmpty()) {
      return Resources.NONE;
    }
    var container =
        pod.getSpec().getContainers().stream()
            .filter(c -> Labels.CONTAINER.equals(c.getName()))
            .findFirst()
            .orElse(pod.getSpec().getContainers().get(0));
    var limits =
        container.getResources() == null || container.getResources().getLimits() == null
            ? Map.<String, Quantity>of()
            : container.getResources().getLimits();
    var annotations = pod.getMetadata().getAnnotations();
    var pids = annotations == null ? null : annotations.get(PIDS_ANNOTATION);
    return new Resources(
        limits.containsKey(CPU) ? millis(limits.get(CPU)) : null,
        limits.containsKey(MEMORY) ? bytes(limits.get(MEMORY)) : null,
        pids == null || !pids.matches("\\d{1,9}") ? null : Long.valueOf(pids),
        limits.containsKey(DISK) ? bytes(limits.get(DISK)) : null);
  }

  /** The pids limit as the pod's annotation, or nothing. */
  static Map<String, String> annotations(Resources resources) {
    return resources.pids() == null
        ? Map.of()
        : Map.of(PIDS_ANNOTATION, String.valueOf(resources.pids()));
  }

  private static Map<String, Quantity> limits(Resources resources) {
    var limits = new LinkedHashMap<String, Quantity>();
    if (resources.cpuMillis() != null) {
      limits.put(CPU, new Quantity(resources.cpuText()));
    }
    if (resources.memoryBytes() != null) {
      limits.put(MEMORY, new Quantity(resources.memoryText()));
    }
    if (resources.diskBytes() != null) {
      limits.put(DISK, new Quantity(resources.diskText()));
    }
    return limits;
  }

  /** The resources every container of the pod limits: those a quota can count. */
  private static List<String> tracked(List<Container> containers) {
    return List.of(CPU, MEMORY, DISK).stream()
        .filter(
            name ->
                containers.stream()
                    .allMatch(
                        c ->
                            c.getResources() != null
                                && c.getResources().getLimits() != null
                                && c.getResources().getLimits().containsKey(name)))
        .toList();
  }

  private static Quantity quantity(String name, BigDecimal amount) {
    return CPU.equals(name)
        ? new Quantity(Quantities.formatCpu(amount.movePointRight(3).longValueExact()))
        : new Quantity(Quantities.formatBytes(amount.longValueExact()));
  }

  private static BigDecimal amount(Quantity quantity) {
    return Quantity.getAmountInBytes(quantity);
  }

  private static long millis(Quantity quantity) {
    return amount(quantity).movePointRight(3).longValue();
  }

  private static long bytes(Quantity quantity) {
    return amount(quantity).longValue();
  }
}
