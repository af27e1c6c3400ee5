package dev.sbx.controlplane.runtime.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.dsl.internal.ExecWebSocketListener;
import io.fabric8.kubernetes.client.dsl.internal.OperationSupport;
import io.fabric8.kubernetes.client.dsl.internal.PodOperationContext;
import io.fabric8.kubernetes.client.http.WebSocket;
import io.fabric8.kubernetes.client.http.WebSocketHandshakeException;
import io.fabric8.kubernetes.client.utils.URLUtils;
import io.fabric8.kubernetes.client.utils.Utils;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Opens pod exec WebSockets to the sandbox container at once. fabric8's {@code exec()} first waits
 * for the pod to be Ready, even with {@code withReadyWaitTimeout(0)}: a LIST and a WATCH of the
 * pod, then a GET to check the container's name; per exec and per kill round, on a pod the
 * informers' cache already shows Ready. This takes fabric8's own exec listener (frames, exit
 * status, handshake errors as KubernetesClientExceptions with the API server's status) without that
 * wait. Measured with make bench: 3 requests besides the exec itself before, 0 now. A command on a
 * terminal has a listener of its own ({@link PodTerminal}).
 */
final class PodExecSockets {

  // The exec protocol version fabric8 8.0.0 speaks: channels 0-2 for stdin, stdout and stderr, the
  // Status on 3, a terminal's size on 4. (v5, which newer kubectl asks for first, only adds a way
  // to close stdin.)
  private static final String PROTOCOL = "v4.channel.k8s.io";

  private PodExecSockets() {}

  /**
   * @param stdin what the command reads, or null for nothing
   * @param stdout where its stdout goes; null to read it from {@link ExecWatch#getOutput()}
   * @param stderr where its stderr goes (a context with no stream: read it from {@link
   *     ExecWatch#getError()}); null for none
   */
  static ExecWatch open(
      KubernetesClient client,
      String namespace,
      List<String> argv,
      @Nullable InputStream stdin,
      @Nullable OutputStream stdout,
      PodOperationContext.@Nullable StreamContext stderr,
      Executor executor) {
    var opened = connect(client, namespace, argv, stdin != null, false, stdout, stderr, executor);
    if (stdin != null) {
      executor.execute(() -> opened.input().pump(stdin));
    }
    return opened.watch();
  }

  /** An open pod exec: fabric8's listener for what comes back, and what goes to it. */
  record Opened(ExecWatch watch, ExecInput input) {}

  /**
   * Opens a pod exec whose stdin (when asked) the caller sends through {@link Opened#input()};
   * fabric8 sends none itself (see {@link ExecInput} for why).
   *
   * @param tty whether the command gets a terminal (stderr then comes on stdout)
   */
  static Opened connect(
      KubernetesClient client,
      String namespace,
      List<String> argv,
      boolean stdin,
      boolean tty,
      @Nullable OutputStream stdout,
      PodOperationContext.@Nullable StreamContext stderr,
      Executor executor) {
    var builder =
        PodOperationContext.builder()
            .containerId(Labels.CONTAINER)
            .output(new PodOperationContext.StreamContext(stdout))
            .error(stderr);
    if (tty) {
      builder.tty(true);
    }
    var context = builder.build();
    var url = url(client, namespace, argv, stdin, stderr != null, tty);
    var listener =
        new ExecWebSocketListener(context, executor, client.getKubernetesSerialization());
    return new Opened(listener, new ExecInput(openSocket(client, url, listener)));
  }

  /**
   * Opens a pod exec on a terminal, as {@code kubectl exec -it} does: stdin, stdout and {@code
   * tty=true}. No stderr: on a terminal the command's stderr is the terminal, which the API server
   * sends as stdout (the kubelet drops a stderr asked for beside a tty). All its frames go to
   * {@code listener} ({@link PodTerminal}), which has had its {@code onOpen} when this returns.
   */
  static void openTerminal(
      KubernetesClient client, String namespace, List<String> argv, WebSocket.Listener listener) {
    openSocket(client, url(client, namespace, argv, true, false, true), listener);
  }

  private static URLUtils.URLBuilder url(
      KubernetesClient client,
      String namespace,
      List<String> argv,
      boolean stdin,
      boolean stderr,
      boolean tty) {
    var url =
        new URLUtils.URLBuilder(
            URLUtils.join(
                client.getMasterUrl().toString(),
                "api/v1/namespaces",
                namespace,
                "pods",
                Labels.POD_NAME,
                "exec"));
    argv.forEach(arg -> url.addQueryParameter("command", arg));
    // As kubectl asks. Not fabric8's addQueryParameters: it asks for stdin only when it pumps it.
    url.addQueryParameter("container", Labels.CONTAINER);
    if (stdin) {
      url.addQueryParameter("stdin", "true");
    }
    url.addQueryParameter("stdout", "true");
    if (stderr) {
      url.addQueryParameter("stderr", "true");
    }
    if (tty) {
      url.addQueryParameter("tty", "true");
    }
    return url;
  }

  /**
   * Opens the socket once the upgrade is answered; a failure reaches the listener's onError too.
   */
  private static WebSocket openSocket(
      KubernetesClient client, URLUtils.URLBuilder url, WebSocket.Listener listener) {
    long timeout = client.getConfiguration().getRequestTimeout();
    try {
      var started =
          client
              .getHttpClient()
              .newWebSocketBuilder()
              .subprotocol(PROTOCOL)
              .uri(URI.create(url.build().toString()))
              .connectTimeout(timeout, TimeUnit.MILLISECONDS)
              .buildAsync(listener);
      started.whenComplete(
          (socket, error) -> {
            if (error != null) {
              listener.onError(socket, error);
            }
          });
      Utils.waitUntilReadyOrFail(started, timeout, TimeUnit.MILLISECONDS);
      return started.getNow(null);
    } catch (Exception e) {
      throw refused(e, client);
    }
  }

  /**
   * The API server's or kubelet's answer to a refused upgrade, with its status code (fabric8's own
   * exec() throws it without one): 400 for an exec into a completed pod, 403, 404...
   */
  private static KubernetesClientException refused(Exception e, KubernetesClient client) {
    if (e instanceof KubernetesClientException known && known.getCode() > 0) {
      return known;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof WebSocketHandshakeException handshake && handshake.getResponse() != null) {
        var status =
            OperationSupport.createStatus(
                handshake.getResponse(), client.getKubernetesSerialization());
        return new KubernetesClientException(
            status.getMessage(), e, status.getCode(), status, null);
      }
    }
    return new KubernetesClientException("could not open the pod exec: " + e, e);
  }
}
