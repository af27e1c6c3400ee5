package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.ControlPlaneApplication;
import dev.sbx.controlplane.exec.ExecIds;
import dev.sbx.controlplane.peers.Rendezvous;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Two real control planes, A and B, on two ports of this machine, sharing one (mock) API server,
 * with the EndpointSlices of their headless Service written as the endpoints controller would write
 * them: one slice per replica, since each listens on a port of its own here.
 */
final class ReplicaPair implements AutoCloseable {

  static final String SERVICE = "sbx-control-plane";
  static final String NAMESPACE = "sbx-system";
  static final String SECRET = "peer-secret";

  final int portA;
  final int portB;
  private final KubernetesClient client;
  // The endpoints controller's writes, on a client of their own: fabric8 may send a create again
  // from its own thread, where ApiCallRecorder would put it down to the control plane.
  private final KubernetesClient endpointsController;
  private final Supplier<String> execIds;
  private final List<ConfigurableApplicationContext> running = new ArrayList<>();

  /**
   * @param execIds the id of the next exec, as the test expects it in the pod exec's path
   */
  ReplicaPair(KubernetesMockServer server, KubernetesClient client, Supplier<String> execIds)
      throws IOException {
    this.client = client;
    this.endpointsController = server.createClient();
    this.execIds = execIds;
    this.portA = freePort();
    this.portB = freePort();
    list("a", portA, true);
    list("b", portB, true);
  }

  /** Starts the control plane on {@code port} with these settings beside the replicas' own. */
  ConfigurableApplicationContext start(int port, String... settings) {
    var context =
        new SpringApplicationBuilder(ControlPlaneApplication.class)
            .initializers(
                c -> {
                  var generic = (GenericApplicationContext) c;
                  // The test's client outlives each control plane: not closed with the context.
                  generic.registerBean(
                      "kubernetesClient",
                      KubernetesClient.class,
                      () -> client,
                      definition -> definition.setDestroyMethodName(""));
                  generic.registerBean(
                      "predictableExecIds",
                      ExecIds.class,
                      () ->
                          new ExecIds() {
                            @Override
                            public String next() {
                              return execIds.get();
                            }
                          },
                      definition -> definition.setPrimary(true));
                })
            .run(
                Stream.concat(
                        Stream.of(
                            "--server.port=" + port,
                            "--SANDBOX_RUNTIME=kubernetes",
                            "--SANDBOX_IDLE_TTL=0",
                            "--SANDBOX_EXEC_KILL_GRACE=20s",
                            "--SANDBOX_EXEC_READY_TIMEOUT=2s",
                            "--SANDBOX_PEERS_SERVICE=" + SERVICE,
                            "--SANDBOX_PEER_ADDRESS=127.0.0.1:" + port,
                            "--SANDBOX_PEER_SECRET=" + SECRET),
                        Stream.of(settings))
                    .toArray(String[]::new));
    running.add(context);
    return context;
  }

  /** A sandbox id that the hash gives to the replica on {@code port}, among the two. */
  String ownedBy(int port, String prefix) {
    var replicas = Set.of("127.0.0.1:" + portA, "127.0.0.1:" + portB);
    for (int i = 0; ; i++) {
      var id = "sbx-" + prefix + "-" + i;
      if (("127.0.0.1:" + port).equals(Rendezvous.owner(replicas, id))) {
        return id;
      }
    }
  }

  /** Lists a replica's endpoint, ready or not, as the endpoints controller would. */
  void list(String name, int port, boolean ready) {
    endpointsController
        .discovery()
        .v1()
        .endpointSlices()
        .inNamespace(NAMESPACE)
        .resource(
            new EndpointSliceBuilder()
                .withNewMetadata()
                .withName(SERVICE + "-" + name)
                .withNamespace(NAMESPACE)
                .addToLabels(EndpointSliceReplicas.SERVICE_LABEL, SERVICE)
                .endMetadata()
                .withAddressType("IPv4")
                .addNewPort()
                .withName("http")
                .withPort(port)
                .withProtocol("TCP")
                .endPort()
                .addNewEndpoint()
                .withAddresses("127.0.0.1")
                .withNewConditions()
                .withReady(ready)
                .endConditions()
                .endEndpoint()
                .build())
        .createOr(NonDeletingOperation::update);
  }

  @Override
  public void close() {
    running.forEach(ConfigurableApplicationContext::close);
    MockCluster.deleteSandboxNamespaces(client);
    endpointsController.discovery().v1().endpointSlices().inNamespace(NAMESPACE).delete();
    endpointsController.close();
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
