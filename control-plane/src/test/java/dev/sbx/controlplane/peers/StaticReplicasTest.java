package dev.sbx.controlplane.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SANDBOX_PEERS: replicas listed by hand, each other one's /healthz asked every two seconds. A peer
 * that stops answering drops out within a few seconds, and comes back when it answers again.
 */
class StaticReplicasTest {

  private HttpServer peer;
  private StaticReplicas replicas;

  @AfterEach
  void stop() {
    if (replicas != null) {
      replicas.close();
    }
    if (peer != null) {
      peer.stop(0);
    }
  }

  @Test
  void aPeerThatStopsAnsweringShouldDropOutAndComeBackWhenItAnswers() throws IOException {
    var healthy = new java.util.concurrent.atomic.AtomicBoolean(true);
    peer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    peer.createContext(
        "/healthz",
        exchange -> {
          exchange.sendResponseHeaders(healthy.get() ? 200 : 503, -1);
          exchange.close();
        });
    peer.start();
    var alive = "127.0.0.1:" + peer.getAddress().getPort();
    var dead = "127.0.0.1:" + unusedPort();
    var changes = new AtomicInteger();

    replicas = new StaticReplicas("127.0.0.1:1", List.of("127.0.0.1:1", alive, dead));
    replicas.onChange(changes::incrementAndGet);
    // Every listed replica counts until the probes say otherwise; the dead one then drops out.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> replicas.ready().equals(Set.of("127.0.0.1:1", alive)));

    healthy.set(false);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> replicas.ready().equals(Set.of("127.0.0.1:1")));
    healthy.set(true);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> replicas.ready().equals(Set.of("127.0.0.1:1", alive)));
    assertThat(changes.get()).as("one change each time").isEqualTo(3);
  }

  private static int unusedPort() throws IOException {
    try (var socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
