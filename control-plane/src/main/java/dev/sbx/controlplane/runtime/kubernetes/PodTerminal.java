package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.runtime.ExecListener;
import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.runtime.OutputStreamKind;
import dev.sbx.controlplane.runtime.Terminal;
import dev.sbx.controlplane.runtime.TerminalSize;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.internal.ExecWebSocketListener;
import io.fabric8.kubernetes.client.http.WebSocket;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.internal.SerialExecutor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exec on a terminal in a sandbox pod: a pod exec with {@code tty=true}, as {@code kubectl exec
 * -it} opens it. Channel 0 carries what is typed, 1 all the terminal prints (the command's stderr
 * is the same terminal), 3 the exit Status and 4 the window size. The frames from the pod are
 * handled here rather than by fabric8's exec listener and a reader thread per stream: a session may
 * last hours with one stream, so it holds no thread while idle, and its output and Status share one
 * queue, which reports the end right after the last output.
 *
 * <p>The first line of output is the wrapper's start report, as on stderr without a terminal
 * ({@link StartReport}).
 */
final class PodTerminal implements RunningPodExec, WebSocket.Listener {

  private static final Logger logger = LoggerFactory.getLogger(PodTerminal.class);

  private static final byte STDOUT = 1;
  private static final byte STATUS = 3;
  // The API server's Status holds the command line, which its own request limits bound (1 MiB of
  // headers); more is not a Status.
  private static final int STATUS_MAX = 2 << 20;

  private final ExecSpec spec;
  private final TerminalSize initialSize;
  private final ExecListener listener;
  private final KubernetesSerialization serialization;
  private final SerialExecutor fromPod;
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private final StartReport startReport;
  private final AtomicBoolean finished = new AtomicBoolean();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private final PodTerminalInput input = new PodTerminalInput();
  private volatile @Nullable WebSocket socket;
  private volatile @Nullable String lostReason;

  private PodTerminal(
      ExecSpec spec,
      ExecListener listener,
      KubernetesSerialization serialization,
      Executor readers) {
    this.spec = spec;
    this.initialSize = Objects.requireNonNull(spec.tty(), "a terminal exec has a size");
    this.listener = listener;
    this.serialization = serialization;
    this.fromPod = new SerialExecutor(readers);
    this.startReport = new StartReport(spec.cwd(), started);
  }

  /**
   * Opens the exec, running {@code argv} on a terminal of the spec's size; output flows to the
   * listener from threads of the executor.
   */
  static PodTerminal open(
      KubernetesClient client,
      String namespace,
      ExecSpec spec,
      List<String> argv,
      ExecListener listener,
      Executor readers) {
    var terminal = new PodTerminal(spec, listener, client.getKubernetesSerialization(), readers);
    PodExecSockets.openTerminal(client, namespace, argv, terminal);
    return terminal;
  }

  @Override
  public CompletableFuture<Void> started() {
    return started;
  }

  @Override
  public CompletableFuture<Void> ended() {
    return ended;
  }

  @Override
  public void abandon(String reason) {
    lostReason = reason;
    closeSocket();
    // Whether or not the API server answers the close: the exec is lost now.
    fromPod.execute(() -> end(null));
  }

  @Override
  public boolean claimFinish() {
    return finished.compareAndSet(false, true);
  }

  /** What is typed into the terminal, its size and its signals. */
  Terminal input() {
    return input;
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    socket = webSocket;
    input.attach(new ExecInput(webSocket));
    // As kubectl does: the size goes first, before the command draws anything.
    try {
      input.resize(initialSize);
    } catch (IOException e) {
      logger.debug("exec {}: could not send the terminal's size: {}", spec.execId(), e.toString());
    }
  }

  @Override
  public void onMessage(WebSocket webSocket, ByteBuffer bytes) {
    // The next frame is asked for once this one was handled: output stays in order and bounded.
    fromPod.execute(
        () -> {
          try {
            frame(bytes);
          } finally {
            webSocket.request();
          }
        });
  }

  @Override
  public void onMessage(WebSocket webSocket, String text) {
    // v4.channel.k8s.io frames are binary; a text frame is not the API server's.
    fromPod.execute(
        () -> {
          logger.debug("exec {}: dropped a text frame ({} chars)", spec.execId(), text.length());
          webSocket.request();
        });
  }

  @Override
  public void onClose(WebSocket webSocket, int code, String reason) {
    fromPod.execute(() -> end(null));
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    fromPod.execute(
        () -> {
          logger.debug("exec {}: connection failed: {}", spec.execId(), error.toString());
          end(null);
        });
  }

  private void frame(ByteBuffer bytes) {
    if (!bytes.hasRemaining() || ended.isDone()) {
      return;
    }
    byte channel = bytes.get();
    switch (channel) {
      case STDOUT -> output(bytes);
      case STATUS -> {
        end(exitCode(bytes));
        closeSocket();
      }
      default ->
          logger.debug(
              "exec {}: dropped {} bytes on channel {}", spec.execId(), bytes.remaining(), channel);
    }
  }

  private void output(ByteBuffer bytes) {
    var data = new byte[bytes.remaining()];
    bytes.get(data);
    int offset = startReport.consume(data, data.length);
    if (data.length > offset && !finished.get()) {
      var chunk = offset == 0 ? data : Arrays.copyOfRange(data, offset, data.length);
      listener.output(OutputStreamKind.STDOUT, chunk, chunk.length);
    }
  }

  /** The exit code the Status reports, or null when it reports none (the exec was cut short). */
  private @Nullable Integer exitCode(ByteBuffer bytes) {
    if (bytes.remaining() > STATUS_MAX) {
      logger.warn("exec {}: a {}-byte exit status, ignored", spec.execId(), bytes.remaining());
      return null;
    }
    try {
      var status =
          serialization.unmarshal(StandardCharsets.UTF_8.decode(bytes).toString(), Status.class);
      int code = status == null ? -1 : ExecWebSocketListener.parseExitCode(status);
      return code < 0 ? null : code;
    } catch (RuntimeException e) {
      logger.warn("exec {}: unreadable exit status: {}", spec.execId(), e.getClass().getName());
      return null;
    }
  }

  /** Reports the end once, after all output; on the serial queue. */
  private void end(@Nullable Integer code) {
    if (ended.isDone()) {
      return;
    }
    // Before anyone hears of the end: whoever did may type no more.
    input.end();
    try {
      started.completeExceptionally(
          new IOException(
              "the exec ended before it started" + (code != null ? " (exit " + code + ")" : "")));
      if (started.isCompletedExceptionally() || !claimFinish()) {
        return; // it never ran: whoever waits for the start reports that, not the listener
      }
      var lost = lostReason;
      listener.finished(
          lost != null || code == null
              // No status from the kubelet: the pod or the connection went away; never report 0.
              ? ExecOutcome.lost(lost != null ? lost : ExecOutcome.SANDBOX_STOPPED)
              : ExecOutcome.exited(code));
    } finally {
      ended.complete(null);
    }
  }

  private void closeSocket() {
    var open = socket;
    if (open != null) {
      open.sendClose(1000, "the exec ended");
    }
  }
}
