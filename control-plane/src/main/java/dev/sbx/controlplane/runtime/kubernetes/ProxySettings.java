package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.runtime.EgressPolicy;
import dev.sbx.controlplane.runtime.SandboxDefaultsProperties;
import java.util.Map;

/**
 * How sandbox pods reach the egress proxy, which runs in the control plane's pods.
 *
 * @param proxyUrl what pods get as HTTP_PROXY and HTTPS_PROXY: a Service of the control plane
 * @param proxyPort the port the proxy listens on in the control plane's pods
 * @param listen whether this control plane listens on it: inside the cluster, or when the port was
 *     configured; outside, pods could not reach it (their traffic to the host is masqueraded, so
 *     their address would not tell who calls)
 * @param controlPlaneNamespace where the control plane's pods run
 * @param defaults the policy warm sandboxes are made with (the configured defaults)
 */
record ProxySettings(
    String proxyUrl,
    int proxyPort,
    boolean listen,
    String controlPlaneNamespace,
    EgressPolicy defaults) {

  static final int DEFAULT_PORT = 3128;

  /** The label of the control plane's pods, as deploy/kind/control-plane.yaml sets it. */
  static final Map<String, String> CONTROL_PLANE =
      Map.of("app.kubernetes.io/name", "sbx-control-plane");

  /** CoreDNS's (and kube-dns's) pods in kube-system, in kind and most clusters. */
  static final Map<String, String> CLUSTER_DNS = Map.of("k8s-app", "kube-dns");

  static ProxySettings of(KubernetesProperties kubernetes, SandboxDefaultsProperties defaults) {
    return of(kubernetes, defaults, System.getenv());
  }

  /**
   * @param env the process environment: Kubernetes sets KUBERNETES_SERVICE_HOST in every pod
   */
  static ProxySettings of(
      KubernetesProperties kubernetes,
      SandboxDefaultsProperties defaults,
      Map<String, String> env) {
    var port = kubernetes.egressProxyPort();
    return new ProxySettings(
        kubernetes.egressProxyUrl(),
        port == null ? DEFAULT_PORT : port,
        port != null || env.containsKey("KUBERNETES_SERVICE_HOST"),
        kubernetes.egressProxyNamespace(),
        defaults.egressPolicy());
  }

  /** What every process in a sandbox pod is told about the proxy. */
  Map<String, String> env() {
    var noProxy = "localhost,127.0.0.1,::1";
    return Map.of(
        "HTTP_PROXY", proxyUrl,
        "HTTPS_PROXY", proxyUrl,
        "http_proxy", proxyUrl,
        "https_proxy", proxyUrl,
        "NO_PROXY", noProxy,
        "no_proxy", noProxy);
  }
}
