package dev.sbx.controlplane.peers;

import dev.sbx.controlplane.runtime.ReplicaSource;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Which replica owns which sandbox: the one {@link Rendezvous} picks among the replicas ready now.
 * With one replica (no {@code SANDBOX_PEERS_SERVICE}, no {@code SANDBOX_PEERS}) this one owns every
 * sandbox and nothing is forwarded. A replica that is not listed yet (still starting) owns nothing,
 * as the others see it; with no replica listed at all, this one serves what it gets.
 */
@Component
public class Ownership implements DisposableBean {

  private static final Logger logger = LoggerFactory.getLogger(Ownership.class);

  private final boolean replicated;
  private final String self;
  private final @Nullable String secret;
  private final @Nullable ReplicaSource source;
  private final @Nullable StaticReplicas probed; // made here, so closed here
  private final List<BiConsumer<Set<String>, Set<String>>> listeners = new CopyOnWriteArrayList<>();
  private volatile Set<String> replicas;

  Ownership(
      PeerProperties properties, ObjectProvider<ReplicaSource> platform, Environment environment) {
    // As at start-up, for a control plane started inside another program (tests, embedding).
    ReplicaCheck.check(
        environment.getProperty("sandbox.runtime", "local"),
        properties.peersService(),
        properties.peers(),
        properties.peerAddress(),
        properties.peerSecret(),
        properties.apiToken());
    this.replicated = properties.replicated();
    this.secret = properties.secret();
    this.self =
        properties.peerAddress() != null
            ? properties.peerAddress().trim()
            : ownAddress(environment.getProperty("server.port", "8080"));
    if (!replicated) {
      source = null;
      probed = null;
    } else if (properties.peers() != null && !properties.peers().isEmpty()) {
      probed = new StaticReplicas(self, properties.peers());
      source = probed;
    } else {
      probed = null;
      source = platform.getIfAvailable();
      if (source == null) {
        throw new IllegalStateException(
            "SANDBOX_PEERS_SERVICE is set but the runtime lists no replicas");
      }
    }
    this.replicas = source == null ? Set.of(self) : source.ready();
    if (source != null) {
      source.onChange(this::refresh);
      logger.info("replica {} of {}", self, replicas);
    }
  }

  private void refresh() {
    Set<String> before;
    Set<String> after;
    synchronized (this) {
      before = replicas;
      after = source == null ? before : source.ready();
      if (after.equals(before)) {
        return;
      }
      replicas = after;
    }
    logger.info("replicas now {} (were {})", after, before);
    listeners.forEach(listener -> listener.accept(before, after));
  }

  /** Whether several replicas share the sandboxes, so that requests may need forwarding. */
  public boolean replicated() {
    return replicated;
  }

  /** This replica's {@code host:port}, as the others reach it. */
  public String self() {
    return self;
  }

  /** The secret forwarded requests carry; null only with one replica. */
  public @Nullable String secret() {
    return secret;
  }

  /** The replica that owns the sandbox (a full id), now. */
  public String owner(String sandboxId) {
    return owner(replicas, sandboxId);
  }

  /** Whether this replica owns the sandbox (a full id), now. */
  public boolean ownsLocally(String sandboxId) {
    return self.equals(owner(sandboxId));
  }

  /** Who owns the sandbox among {@code among}: what ownership was before a change, say. */
  public String owner(Set<String> among, String sandboxId) {
    var owner = Rendezvous.owner(among, sandboxId);
    return owner != null ? owner : self;
  }

  /** Whether no other replica is ready now: one replica, or the first of several to start. */
  public boolean alone() {
    return replicas.stream().allMatch(self::equals);
  }

  /**
   * The other ready replicas, in the order the hash ranks them for the sandbox: where to look for
   * an exec that a replica started while it owned the sandbox, before one that ranks higher joined.
   */
  public List<String> others(String sandboxId) {
    return Rendezvous.ranked(replicas, sandboxId).stream().filter(r -> !r.equals(self)).toList();
  }

  /** Calls {@code listener} with the replicas before and after each change. */
  public void onChange(BiConsumer<Set<String>, Set<String>> listener) {
    listeners.add(listener);
  }

  private static String ownAddress(String port) {
    var podIp = System.getenv("POD_IP");
    if (podIp != null && !podIp.isBlank()) {
      return podIp + ":" + port;
    }
    try {
      return InetAddress.getLocalHost().getHostAddress() + ":" + port;
    } catch (UnknownHostException e) {
      return "127.0.0.1:" + port;
    }
  }

  @Override
  public void destroy() {
    if (probed != null) {
      probed.close();
    }
  }
}
