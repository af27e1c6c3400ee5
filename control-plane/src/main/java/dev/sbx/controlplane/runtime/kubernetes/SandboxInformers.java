package dev.sbx.controlplane.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Optional;

/**
 * The control plane's view of its sandboxes: namespaces and pods with its label, kept current by
 * watches, so that get, list and exec read a cache instead of asking the API server each time.
 */
final class SandboxInformers implements AutoCloseable {

  private final SharedIndexInformer<Namespace> namespaces;
  private final SharedIndexInformer<Pod> pods;

  SandboxInformers(KubernetesClient client) {
    namespaces = client.namespaces().withLabel(Labels.MANAGED_BY, Labels.MANAGER).inform();
    pods = client.pods().inAnyNamespace().withLabel(Labels.MANAGED_BY, Labels.MANAGER).inform();
  }

  Optional<Namespace> namespace(String id) {
    return Optional.ofNullable(namespaces.getStore().getByKey(id));
  }

  Optional<Pod> pod(String id) {
    return Optional.ofNullable(pods.getStore().getByKey(id + "/" + Labels.POD_NAME));
  }

  List<Namespace> namespaces() {
    return namespaces.getStore().list();
  }

  @Override
  public void close() {
    namespaces.close();
    pods.close();
  }
}
