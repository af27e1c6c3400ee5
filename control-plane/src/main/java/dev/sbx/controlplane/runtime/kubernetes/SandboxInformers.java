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

  /** Calls the handler with every pod as it is added or changes. */
  void onPod(java.util.function.Consumer<Pod> handler) {
    pods.addEventHandler(
        new io.fabric8.kubernetes.client.informers.ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            handler.accept(pod);
          }

          @Override
          public void onUpdate(Pod before, Pod pod) {
            handler.accept(pod);
          }

          @Override
          public void onDelete(Pod pod, boolean finalStateUnknown) {}
        });
  }

  /** Whether both caches hold what the API server had when they started watching. */
  boolean synced() {
    return namespaces.hasSynced() && pods.hasSynced() && namespaces.isRunning() && pods.isRunning();
  }

  Optional<Namespace> namespace(String id) {
    return Optional.ofNullable(namespaces.getStore().getByKey(id));
  }

  Optional<Pod> pod(String id) {
    return Optional.ofNullable(pods.getStore().getByKey(id + "/" + Labels.POD_NAME));
  }

  List<Pod> pods() {
    return pods.getStore().list();
  }

  /** Calls the handler whenever a namespace or a pod of ours appears, changes or goes away. */
  void onAnyChange(Runnable handler) {
    listen(namespaces, handler);
    listen(pods, handler);
  }

  private static <T> void listen(SharedIndexInformer<T> informer, Runnable handler) {
    informer.addEventHandler(
        new io.fabric8.kubernetes.client.informers.ResourceEventHandler<T>() {
          @Override
          public void onAdd(T object) {
            handler.run();
          }

          @Override
          public void onUpdate(T before, T object) {
            handler.run();
          }

          @Override
          public void onDelete(T object, boolean finalStateUnknown) {
            handler.run();
          }
        });
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
