package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.runtime.Addresses;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The control plane's view of its sandboxes: namespaces and pods with its label, kept current by
 * watches, so that get, list and exec read a cache instead of asking the API server each time.
 */
final class SandboxInformers implements AutoCloseable {

  private final SharedIndexInformer<Namespace> namespaces;
  private final SharedIndexInformer<Pod> pods;

  private static final String POD_IP = "podIP";

  SandboxInformers(KubernetesClient client) {
    namespaces = client.namespaces().withLabel(Labels.MANAGED_BY, Labels.MANAGER).inform();
    pods =
        client
            .pods()
            .inAnyNamespace()
            .withLabel(Labels.MANAGED_BY, Labels.MANAGER)
            .runnableInformer(0);
    // The egress proxy knows a caller by its pod IP: an index answers without a scan.
    pods.addIndexers(Map.of(POD_IP, SandboxInformers::podIps));
    pods.run();
  }

  private static List<String> podIps(Pod pod) {
    var status = pod.getStatus();
    if (status == null) {
      return List.of();
    }
    var ips = new ArrayList<String>();
    if (status.getPodIP() != null) {
      ips.add(status.getPodIP());
    }
    if (status.getPodIPs() != null) {
      status.getPodIPs().stream()
          .map(PodIP::getIp)
          .filter(ip -> ip != null && !ips.contains(ip))
          .forEach(ips::add);
    }
    return ips.stream().map(SandboxInformers::canonical).filter(ip -> ip != null).toList();
  }

  /** The pods of ours that have this address now (normally one). */
  List<Pod> podsAt(InetAddress address) {
    return pods.getIndexer()
        .byIndex(POD_IP, Addresses.address(Addresses.bytes(address)).getHostAddress());
  }

  /** One text form per address, whichever way the API server or the JDK writes IPv6. */
  private static @Nullable String canonical(String ip) {
    var bytes = Addresses.literal(ip);
    return bytes == null ? null : Addresses.address(bytes).getHostAddress();
  }

  /** Calls the handler with every pod as it is added or changes. */
  void onPod(Consumer<Pod> handler) {
    pods.addEventHandler(
        new ResourceEventHandler<>() {
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
        new ResourceEventHandler<T>() {
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
