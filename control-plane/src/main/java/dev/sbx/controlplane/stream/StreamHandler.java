package dev.sbx.controlplane.stream;

import dev.sbx.controlplane.exec.EventLog;
import dev.sbx.controlplane.metrics.SandboxMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * {@code /sandboxes/{id}/stream}: sends a sandbox's exec events, replayed then live, one JSON event
 * per text frame. The handshake was checked by {@link StreamHandshake}.
 */
@Component
class StreamHandler extends TextWebSocketHandler
    implements DisposableBean, MeterBinder, SmartLifecycle {

  private static final String SUBSCRIBER = "sbx.subscriber";

  private final int queueLimit;
  private final Map<String, OpenStream> open = new ConcurrentHashMap<>();
  private final ExecutorService sender = Executors.newCachedThreadPool(daemon("sbx-stream-"));
  private final Pings pings;

  private final SandboxMetrics metrics;

  StreamHandler(StreamProperties properties, SandboxMetrics metrics, TaskScheduler taskScheduler) {
    this.queueLimit = properties.streamSubscriberQueue();
    this.metrics = metrics;
    this.pings =
        new Pings(taskScheduler, properties, () -> open.values().forEach(OpenStream::ping));
  }

  /** Pings every subscriber at the interval, so idle streams stay open through proxies. */
  @Override
  public void start() {
    pings.start();
  }

  @Override
  public void stop() {
    pings.stop();
  }

  @Override
  public boolean isRunning() {
    return pings.running();
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("sandbox.streams.open", open, Map::size)
        .description("WebSocket subscribers connected now")
        .register(registry);
  }

  @Override
  public void afterConnectionEstablished(WebSocketSession session) {
    var attributes = session.getAttributes();
    var execId = (String) attributes.get(StreamHandshake.EXEC_ID);
    var log = (EventLog) attributes.get(StreamHandshake.LOG);
    var fromSeq = (Long) attributes.get(StreamHandshake.FROM_SEQ);
    if (execId != null) {
      // One exec: pulled from the log and its store at the client's pace, nothing queued.
      var follower =
          new ExecFollower(
              session,
              log,
              execId,
              fromSeq,
              Boolean.TRUE.equals(attributes.get(StreamHandshake.BINARY)),
              sender);
      attributes.put(SUBSCRIBER, follower);
      open.put(session.getId(), follower);
      follower.start();
      return;
    }
    // Every exec of the sandbox: pushed from memory through a bounded queue.
    var subscriber =
        new StreamSubscriber(session, null, queueLimit, sender, metrics::subscriberDropped);
    attributes.put(SUBSCRIBER, subscriber);
    open.put(session.getId(), subscriber);
    log.subscribe(subscriber, null, fromSeq);
  }

  @Override
  public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
    var stream = (OpenStream) session.getAttributes().get(SUBSCRIBER);
    open.remove(session.getId());
    var log = (EventLog) session.getAttributes().get(StreamHandshake.LOG);
    if (stream != null) {
      stream.disconnected();
    }
    if (stream instanceof StreamSubscriber subscriber && log != null) {
      log.unsubscribe(subscriber);
    }
  }

  @Override
  public void destroy() {
    sender.shutdownNow();
  }

  private static ThreadFactory daemon(String prefix) {
    var count = new AtomicInteger();
    return r -> {
      var t = new Thread(r, prefix + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
