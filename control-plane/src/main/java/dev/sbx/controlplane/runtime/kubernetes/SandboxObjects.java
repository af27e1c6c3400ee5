package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.runtime.IngestTokens;
import dev.sbx.controlplane.runtime.SandboxExistsException;
import dev.sbx.controlplane.sandbox.SandboxIds;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Makes and removes the Kubernetes objects of one sandbox: its namespace, NetworkPolicy,
 * LimitRange, ResourceQuota, PVCs and pod. A create that fails half-way removes what it made, so
 * the cluster never holds half a sandbox.
 */
final class SandboxObjects {

  private final KubernetesClient client;
  private final SidecarSettings sidecar;
  private final ProxySettings proxy;

  SandboxObjects(KubernetesClient client, SidecarSettings sidecar, ProxySettings proxy) {
    this.client = client;
    this.sidecar = sidecar;
    this.proxy = proxy;
  }

  /**
   * @param namespace the namespace as the API server returned it
   * @param pod the pod as the API server returned it
   */
  record Created(Namespace namespace, Pod pod) {}

  Created create(String id, SandboxTemplate template, String launchType) {
    // The sidecar's credential: the pod gets it, the namespace only its hash.
    var token = sidecar.enabled() ? SandboxIds.randomHex(32) : null;
    var tokenHash = token == null ? null : IngestTokens.sha256(token);
    Namespace namespace;
    try {
      namespace =
          client
              .namespaces()
              .resource(SandboxManifests.namespace(id, template, launchType, tokenHash))
              .create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        throw new SandboxExistsException(id);
      }
      throw KubernetesErrors.translate(e, "create namespace " + id);
    }
    try {
      // Before the pod: it never runs without its walls.
      client
          .network()
          .v1()
          .networkPolicies()
          .inNamespace(id)
          .resource(EgressObjects.networkPolicy(id, launchType, proxy))
          .create();
      var claims = SandboxManifests.claims(id, template, launchType);
      var manifest = SandboxManifests.pod(id, template, launchType, sidecar, token);
      // Also before the pod, which must fit them: nothing made in the namespace later, by anyone,
      // gets more than the sandbox's limits.
      client
          .limitRanges()
          .inNamespace(id)
          .resource(SandboxLimits.limitRange(id, manifest, launchType))
          .create();
      client
          .resourceQuotas()
          .inNamespace(id)
          .resource(SandboxLimits.quota(id, manifest, claims.size(), launchType))
          .create();
      for (var claim : claims) {
        client.persistentVolumeClaims().inNamespace(id).resource(claim).create();
      }
      var pod = client.pods().inNamespace(id).resource(manifest).create();
      return new Created(namespace, pod);
    } catch (KubernetesClientException e) {
      deleteNamespace(id);
      throw KubernetesErrors.translate(e, "create the pod of sandbox " + id);
    }
  }

  /** Deletes the namespace and so everything in it; false when it did not exist. */
  boolean deleteNamespace(String id) {
    try {
      return !client.namespaces().withName(id).delete().isEmpty();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw KubernetesErrors.translate(e, "delete namespace " + id);
    }
  }
}
