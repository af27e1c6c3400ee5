package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.runtime.ReplicaSource;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The control plane's replicas: the ready endpoints of its headless Service, from the Service's
 * EndpointSlices, watched with an informer. An endpoint counts unless its {@code ready} condition
 * is false (absent means ready, as the API defines it); a terminating pod is not ready, so a
 * replica that is shutting down stops owning sandboxes as soon as the endpoints controller sees it.
 */
final class EndpointSliceReplicas implements ReplicaSource {

  static final String SERVICE_LABEL = "kubernetes.io/service-name";

  /** The Service port forwarded requests go to: the one named so, else the first. */
  static final String PORT_NAME = "http";

  private final SharedIndexInformer<EndpointSlice> slices;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  EndpointSliceReplicas(KubernetesClient client, String namespace, String service) {
    slices =
        client
            .discovery()
            .v1()
            .endpointSlices()
            .inNamespace(namespace)
            .withLabel(SERVICE_LABEL, service)
            .inform();
    slices.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(EndpointSlice slice) {
            changed();
          }

          @Override
          public void onUpdate(EndpointSlice before, EndpointSlice slice) {
            changed();
          }

          @Override
          public void onDelete(EndpointSlice slice, boolean finalStateUnknown) {
            changed();
          }
        });
  }

  private void changed() {
    listeners.forEach(Runnable::run);
  }

  @Override
  public Set<String> ready() {
    var ready = new TreeSet<String>();
    for (var slice : slices.getStore().list()) {
      var port = port(slice.getPorts());
      if (port == null || slice.getEndpoints() == null) {
        continue;
      }
      for (var endpoint : slice.getEndpoints()) {
        if (ready(endpoint) && endpoint.getAddresses() != null) {
          for (var address : endpoint.getAddresses()) {
            ready.add((address.contains(":") ? "[" + address + "]" : address) + ":" + port);
          }
        }
      }
    }
    return Set.copyOf(ready);
  }

  private static boolean ready(Endpoint endpoint) {
    var conditions = endpoint.getConditions();
    return conditions == null || !Boolean.FALSE.equals(conditions.getReady());
  }

  private static Integer port(List<EndpointPort> ports) {
    if (ports == null || ports.isEmpty()) {
      return null;
    }
    return ports.stream()
        .filter(p -> PORT_NAME.equals(p.getName()))
        .findFirst()
        .orElse(ports.get(0))
        .getPort();
  }

  @Override
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  @Override
  public void close() {
    slices.close();
  }
}
