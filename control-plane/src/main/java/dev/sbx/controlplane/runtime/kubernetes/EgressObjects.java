package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.runtime.EgressPolicy;
import dev.sbx.controlplane.runtime.NetworkMode;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sandbox's egress objects, pure and client-free: the NetworkPolicy that leaves its pods DNS and
 * the egress proxy as the only ways out and the control plane as the only way in, and the namespace
 * annotations that hold its policy. The policy of hosts is the proxy's; the NetworkPolicy is the
 * same for every sandbox, so a warm one has it already when it is claimed.
 */
final class EgressObjects {

  static final String POLICY_NAME = "sbx-egress";
  static final String NETWORK = "sbx.network";

  private EgressObjects() {}

  static NetworkPolicy networkPolicy(String id, String launchType, ProxySettings settings) {
    var controlPlane =
        peer(
            Map.of("kubernetes.io/metadata.name", settings.controlPlaneNamespace()),
            ProxySettings.CONTROL_PLANE);
    var dns = peer(Map.of("kubernetes.io/metadata.name", "kube-system"), ProxySettings.CLUSTER_DNS);
    return new NetworkPolicyBuilder()
        .withNewMetadata()
        .withName(POLICY_NAME)
        .withNamespace(id)
        .withLabels(Labels.of(id, launchType))
        .endMetadata()
        .withNewSpec()
        .withPodSelector(new LabelSelector())
        .withPolicyTypes("Ingress", "Egress")
        .addNewIngress()
        .withFrom(controlPlane)
        .endIngress()
        .addNewEgress()
        .withTo(dns)
        .withPorts(port("UDP", 53), port("TCP", 53))
        .endEgress()
        .addNewEgress()
        .withTo(controlPlane)
        .withPorts(port("TCP", settings.proxyPort()))
        .endEgress()
        .endSpec()
        .build();
  }

  /** The policy as namespace annotations: the original's host lists, and the mode. */
  static Map<String, String> annotations(EgressPolicy policy) {
    var annotations = new LinkedHashMap<String, String>();
    annotations.put(NETWORK, policy.mode().value());
    annotations.put(Labels.ALLOWED_HOSTS, String.join(",", policy.allowedHosts()));
    annotations.put(Labels.DISALLOWED_HOSTS, String.join(",", policy.disallowedHosts()));
    return annotations;
  }

  /**
   * The policy the annotations hold. A sandbox made before egress was enforced has no mode: it had
   * no policy, so it gets none, and reaches nothing through the proxy.
   */
  static EgressPolicy policy(Map<String, String> annotations) {
    var mode = annotations.get(NETWORK);
    return new EgressPolicy(
        mode == null ? NetworkMode.NONE : NetworkMode.parse(mode),
        list(annotations.get(Labels.ALLOWED_HOSTS)),
        list(annotations.get(Labels.DISALLOWED_HOSTS)));
  }

  private static List<String> list(String csv) {
    if (csv == null || csv.isBlank()) {
      return List.of();
    }
    return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static NetworkPolicyPeer peer(Map<String, String> namespace, Map<String, String> pods) {
    return new NetworkPolicyPeerBuilder()
        .withNamespaceSelector(new LabelSelectorBuilder().withMatchLabels(namespace).build())
        .withPodSelector(new LabelSelectorBuilder().withMatchLabels(pods).build())
        .build();
  }

  private static NetworkPolicyPort port(String protocol, int port) {
    return new NetworkPolicyPortBuilder()
        .withProtocol(protocol)
        .withPort(new IntOrString(port))
        .build();
  }
}
