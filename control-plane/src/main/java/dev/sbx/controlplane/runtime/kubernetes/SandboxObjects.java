package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.runtime.IngestTokens;
import dev.sbx.controlplane.runtime.RuntimeUnavailableException;
import dev.sbx.controlplane.runtime.SandboxDeletingException;
import dev.sbx.controlplane.runtime.SandboxExistsException;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;

/**
 * Makes and removes the Kubernetes objects of one sandbox: its namespace, NetworkPolicy,
 * LimitRange, ResourceQuota, PVCs and pod. A create that fails half-way removes what it made, so
 * the cluster never holds half a sandbox.
 */
final class SandboxObjects {

  /** How long a pod create waits for the namespace's default ServiceAccount to appear. */
  static final Duration SERVICE_ACCOUNT_WAIT = Duration.ofSeconds(10);

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
    var token = sidecar.enabled() ? IngestTokens.generate() : null;
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
        throw terminating(id) ? new SandboxDeletingException(id) : new SandboxExistsException(id);
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
      var manifest = SandboxManifests.pod(id, template, launchType, sidecar);
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
      if (token != null) {
        client
            .secrets()
            .inNamespace(id)
            .resource(SandboxManifests.ingestSecret(id, launchType, token))
            .create();
      }
      var pod = createPod(id, manifest);
      return new Created(namespace, pod);
    } catch (KubernetesClientException e) {
      deleteNamespace(id);
      throw KubernetesErrors.translate(e, "create the pod of sandbox " + id);
    }
  }

  /**
   * Creates the pod, waiting out the ServiceAccount admission race: in a namespace made a moment
   * ago the API server refuses pods (403 "error looking up service account", even with
   * automountServiceAccountToken false) until the ServiceAccount controller has made the {@code
   * default} account, usually within a second.
   */
  private Pod createPod(String id, Pod pod) {
    var deadline = System.nanoTime() + SERVICE_ACCOUNT_WAIT.toNanos();
    long pause = 50;
    while (true) {
      try {
        return client.pods().inNamespace(id).resource(pod).create();
      } catch (KubernetesClientException e) {
        if (!KubernetesErrors.serviceAccountNotYetThere(e) || System.nanoTime() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RuntimeUnavailableException("interrupted while creating sandbox " + id, e);
      }
      pause = Math.min(pause * 2, 1_000);
    }
  }

  private boolean terminating(String id) {
    try {
      var existing = client.namespaces().withName(id).get();
      return existing != null && !WarmPool.live(existing);
    } catch (KubernetesClientException e) {
      return false;
    }
  }

  /**
   * Deletes the namespace and so everything in it; false when it did not exist. True also when it
   * was being deleted already (the API server answers 409 to a second delete meanwhile).
   */
  boolean deleteNamespace(String id) {
    try {
      return !client.namespaces().withName(id).delete().isEmpty();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return false;
      }
      if (e.getCode() == 409) {
        return true;
      }
      throw KubernetesErrors.translate(e, "delete namespace " + id);
    }
  }
}
