package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.runtime.LaunchType;
import dev.sbx.controlplane.runtime.ResourceUsage;
import dev.sbx.controlplane.runtime.Resources;
import dev.sbx.controlplane.runtime.SandboxInfo;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Finds a user's sandbox: its namespace and pod from the watched cache, or from the API server once
 * when the cache has not seen it yet. A namespace being deleted, one of another manager and an
 * unclaimed warm pool member are nobody's sandbox. Describes them as the API shows them.
 */
final class SandboxLookup {

  private final KubernetesClient client;
  private final SandboxInformers informers;
  private final WarmPool pool;
  private final LastExecTimes lastExec;
  private final PodUsage usage;

  SandboxLookup(
      KubernetesClient client,
      SandboxInformers informers,
      WarmPool pool,
      LastExecTimes lastExec,
      PodUsage usage) {
    this.client = client;
    this.informers = informers;
    this.pool = pool;
    this.lastExec = lastExec;
    this.usage = usage;
  }

  /** The sandbox with its usage now (a metrics request). */
  Optional<SandboxInfo> find(String id) {
    return namespace(id).map(ns -> info(ns, pod(id), usage.of(id)));
  }

  Optional<Namespace> namespace(String id) {
    var cached = informers.namespace(id);
    if (cached.isPresent()) {
      return cached
          .filter(WarmPool::live)
          .filter(namespace -> !pool.member(namespace, informers.pod(id).orElse(null)));
    }
    // Not watched yet (created a moment ago) or not ours: ask the API server once.
    try {
      var namespace = client.namespaces().withName(id).get();
      if (namespace == null
          || namespace.getMetadata().getLabels() == null
          || !Labels.MANAGER.equals(namespace.getMetadata().getLabels().get(Labels.MANAGED_BY))) {
        return Optional.empty();
      }
      return Optional.of(namespace).filter(WarmPool::live).filter(ns -> !pool.member(ns, pod(id)));
    } catch (KubernetesClientException e) {
      throw KubernetesErrors.translate(e, "read namespace " + id);
    }
  }

  /**
   * A namespace whose delete is under way: what a second delete of the same sandbox finds, while
   * the first one's namespace terminates.
   */
  boolean terminating(String id) {
    return informers
        .namespace(id)
        .filter(ns -> !WarmPool.live(ns) && !pool.member(ns, informers.pod(id).orElse(null)))
        .isPresent();
  }

  @Nullable Pod pod(String id) {
    var cached = informers.pod(id);
    if (cached.isPresent()) {
      return cached.get();
    }
    try {
      return client.pods().inNamespace(id).withName(Labels.POD_NAME).get();
    } catch (KubernetesClientException e) {
      throw KubernetesErrors.translate(e, "read the pod of sandbox " + id);
    }
  }

  /** Every user's sandbox in the cache, by id. */
  List<SandboxInfo> list() {
    var sandboxes = new ArrayList<SandboxInfo>();
    for (var namespace : informers.namespaces()) {
      var pod = informers.pod(namespace.getMetadata().getName()).orElse(null);
      if (WarmPool.live(namespace) && !pool.member(namespace, pod)) {
        sandboxes.add(info(namespace, pod, null));
      }
    }
    sandboxes.sort(Comparator.comparing(SandboxInfo::id));
    return sandboxes;
  }

  /** The user's sandbox whose pod has this address; an unclaimed warm one belongs to nobody. */
  Optional<String> at(InetAddress source) {
    for (var pod : informers.podsAt(source)) {
      var id = pod.getMetadata().getNamespace();
      var namespace = informers.namespace(id);
      if (namespace.isPresent()
          && WarmPool.live(namespace.get())
          && !pool.member(namespace.get(), pod)) {
        return Optional.of(id);
      }
    }
    return Optional.empty();
  }

  /**
   * The hash of the token a sandbox's sidecar presents. Warm pool members included: their sidecars
   * connect while they wait to be claimed, and one turned away would back off to 5 s and hold up
   * the first output after the claim.
   */
  @Nullable String ingestTokenSha256(String id) {
    return informers
        .namespace(id)
        .filter(WarmPool::live)
        .or(() -> namespace(id))
        .map(ns -> ns.getMetadata().getAnnotations())
        .map(annotations -> annotations.get(Labels.INGEST_TOKEN_SHA256))
        .orElse(null);
  }

  SandboxInfo info(Namespace namespace, @Nullable Pod pod, @Nullable ResourceUsage used) {
    var id = namespace.getMetadata().getName();
    var status = SandboxStatus.of(pod);
    // A warm sandbox's life, to its user, starts when their create took it.
    var claimed = pool.claimedAt(namespace, pod);
    var resources = SandboxLimits.of(pod);
    return new SandboxInfo(
        id,
        KubernetesRuntime.NAME,
        status.phase(),
        status.ready(),
        claimed != null ? claimed : WarmSandboxes.createdAt(namespace),
        lastExec.get(id, namespace),
        status.reason(),
        WarmSandboxes.warm(namespace) ? LaunchType.WARM : LaunchType.COLD,
        resources,
        resources.pids() == null ? Map.of() : Map.of(Resources.PIDS, SandboxLimits.PIDS_UNENFORCED),
        used);
  }

  /** Why sandboxes cannot be looked up now, or null when they can. */
  @Nullable String unavailableBecause() {
    if (!informers.synced()) {
      return "the watches of namespaces and pods are not in sync with the API server";
    }
    try {
      client.getKubernetesVersion();
      return null;
    } catch (KubernetesClientException e) {
      return "the Kubernetes API server does not answer: " + e.getMessage();
    }
  }
}
