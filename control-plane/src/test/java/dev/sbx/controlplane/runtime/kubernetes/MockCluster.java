package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.runtime.ExecSpec;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.URLUtils;
import io.fabric8.mockwebserver.internal.WebSocketMessage;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Test helpers around fabric8's mock API server: pod states and exec expectations. */
final class MockCluster {

  private final KubernetesMockServer server;
  private final KubernetesClient client;

  MockCluster(KubernetesMockServer server, KubernetesClient client) {
    this.server = server;
    this.client = client;
  }

  /**
   * The sandbox's ingest token as its stream container gets it: from the namespace's Secret. (The
   * mock server keeps stringData as written; a real API server turns it into data.)
   */
  static String ingestToken(KubernetesClient client, String id) {
    var secret = client.secrets().inNamespace(id).withName(SandboxManifests.INGEST_SECRET).get();
    if (secret.getData() != null
        && secret.getData().containsKey(SandboxManifests.INGEST_SECRET_KEY)) {
      return new String(
          Base64.getDecoder().decode(secret.getData().get(SandboxManifests.INGEST_SECRET_KEY)),
          StandardCharsets.UTF_8);
    }
    return secret.getStringData().get(SandboxManifests.INGEST_SECRET_KEY);
  }

  /** What the kubelet would report once the container runs (mock pods never get there alone). */
  /**
   * Stops a mock server a test made itself. fabric8's mock can time out closing its vert.x server
   * ("Unable to close MockWebServer") when a closing watch blocks the event loop (its
   * WatchEventsListener.onClosed awaits an executor there); by then every assertion of the test has
   * run, so that one timeout is not the test's failure. Anything else still is.
   */
  static void destroy(KubernetesMockServer server) {
    try {
      server.destroy();
    } catch (IllegalStateException e) {
      if (!String.valueOf(e.getMessage()).contains("Unable to close MockWebServer")) {
        throw e;
      }
    }
  }

  /** Creates a sandbox through the runtime, marks its pod Ready, and waits until it counts. */
  void createReady(KubernetesRuntime runtime, String id) {
    runtime.create(Templates.spec(id));
    markReady(id);
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(5))
        .until(
            () ->
                runtime
                    .find(id)
                    .map(dev.sbx.controlplane.runtime.SandboxInfo::ready)
                    .orElse(false));
  }

  void markReady(String id) {
    var pod = client.pods().inNamespace(id).withName("sandbox").get();
    pod.setStatus(
        new PodStatusBuilder()
            .withPhase("Running")
            .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True").build())
            .build());
    client.pods().inNamespace(id).resource(pod).updateStatus();
  }

  /** A pod stuck before running, as an image that cannot be pulled leaves it. */
  void markWaiting(String id, String reason) {
    var pod = client.pods().inNamespace(id).withName("sandbox").get();
    pod.setStatus(
        new PodStatusBuilder()
            .withPhase("Pending")
            .withContainerStatuses(
                new ContainerStatusBuilder()
                    .withName("sandbox")
                    .withNewState()
                    .withNewWaiting()
                    .withReason(reason)
                    .endWaiting()
                    .endState()
                    .build())
            .build());
    client.pods().inNamespace(id).resource(pod).updateStatus();
  }

  /** The sandbox container ended, as the kubelet reports it (restartPolicy Never: for good). */
  void markTerminated(String id, String reason, int exitCode) {
    var pod = client.pods().inNamespace(id).withName("sandbox").get();
    pod.setStatus(terminated(reason, exitCode));
    client.pods().inNamespace(id).resource(pod).updateStatus();
  }

  /** A pod status whose sandbox container ended, and with it the pod (restartPolicy Never). */
  static PodStatus terminated(String reason, int exitCode) {
    return new PodStatusBuilder()
        .withPhase("Failed")
        .withContainerStatuses(
            new ContainerStatusBuilder()
                .withName("sandbox")
                .withNewState()
                .withNewTerminated()
                .withReason(reason)
                .withExitCode(exitCode)
                .endTerminated()
                .endState()
                .build())
        .build();
  }

  /**
   * Deletes every namespace the runtime made. One delete per namespace, a verb the control plane
   * has: the collection delete, now and then under load, reached ApiCallRecorder from a thread
   * without the test's frames and was put down to the control plane, which has no deletecollection.
   */
  static void deleteSandboxNamespaces(KubernetesClient client) {
    client
        .namespaces()
        .withLabel(Labels.MANAGED_BY, Labels.MANAGER)
        .list()
        .getItems()
        .forEach(namespace -> client.resource(namespace).delete());
  }

  /** The environment of a sandbox pod's sandbox container, as the API server holds it. */
  static List<EnvVar> sandboxEnv(KubernetesClient client, String id) {
    return client
        .pods()
        .inNamespace(id)
        .withName("sandbox")
        .get()
        .getSpec()
        .getContainers()
        .get(0)
        .getEnv();
  }

  /** Serves one pod exec of this spec with these frames (stdout, stderr, status). */
  void expectExec(String id, ExecSpec spec, WebSocketMessage... frames) {
    expectCommand(id, ExecScripts.wrapped(spec), spec.stdin() != null, true, frames);
  }

  /** Serves one pod exec of this argv (stdout only, as the runtime runs its own scripts). */
  void expectScript(String id, List<String> argv, WebSocketMessage... frames) {
    expectCommand(id, argv, false, false, frames);
  }

  /** Serves one pod exec of a helper (stdout and stderr, stdin when it has one). */
  void expectHelper(String id, List<String> argv, boolean stdin, WebSocketMessage... frames) {
    expectCommand(id, argv, stdin, true, frames);
  }

  /** Serves one pod exec that starts this spec detached (sidecar mode) with these frames. */
  void expectDetachedExec(String id, ExecSpec spec, String eventsDir, WebSocketMessage... frames) {
    expectCommand(id, ExecScripts.detached(spec, eventsDir), spec.stdin() != null, true, frames);
  }

  /** The path a pod exec of this spec requests. */
  static String execPath(String id, ExecSpec spec) {
    return commandPath(id, ExecScripts.wrapped(spec), spec.stdin() != null, true);
  }

  private void expectCommand(
      String id, List<String> argv, boolean stdin, boolean stderr, WebSocketMessage... frames) {
    server
        .expect()
        .get()
        .withPath(commandPath(id, argv, stdin, stderr))
        .andUpgradeToWebSocket()
        .open(frames)
        .done()
        .once();
  }

  private static String commandPath(String id, List<String> argv, boolean stdin, boolean stderr) {
    var url =
        new URLUtils.URLBuilder("http://localhost/api/v1/namespaces/" + id + "/pods/sandbox/exec");
    for (var arg : argv) {
      url.addQueryParameter("command", arg);
    }
    url.addQueryParameter("container", "sandbox");
    if (stdin) {
      url.addQueryParameter("stdin", "true");
    }
    url.addQueryParameter("stdout", "true");
    if (stderr) {
      url.addQueryParameter("stderr", "true");
    }
    return url.build().getFile();
  }
}
