package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.runtime.SandboxIdSource;
import dev.sbx.controlplane.runtime.SandboxRuntime.PoolStatus;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pre-started sandboxes, so that a create can take one in a single API write instead of waiting
 * seconds for a pod. Any replica claims; only the leader fills, replaces and trims. All decisions
 * read the informers' cache; what this process did that the cache does not show yet (creations in
 * flight, claims just made) is kept aside and counted, so the pool neither over-creates nor hands
 * one sandbox out twice.
 */
final class WarmPool implements AutoCloseable {

  private static final Logger logger = LoggerFactory.getLogger(WarmPool.class);

  static final Duration RESYNC = Duration.ofSeconds(5);

  /** How long a warm pod may lack its pod, or run without being Ready, before it is replaced. */
  static final Duration GRACE = Duration.ofSeconds(10);

  private static final int PARALLEL_CREATES = 4;

  private final KubernetesClient client;
  private final SandboxInformers informers;
  private final SandboxObjects objects;
  private final SandboxTemplate template;
  private final PoolSettings settings;
  private final Clock clock;
  private final CreateWindow window;

  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final Set<String> claiming = ConcurrentHashMap.newKeySet();
  private final Map<String, Instant> claimedHere = new ConcurrentHashMap<>();
  private final AtomicBoolean pending = new AtomicBoolean();
  private final SandboxIdSource ids;
  private final ScheduledExecutorService loop = Schedulers.daemonScheduler("sbx-warm-pool");
  private final ExecutorService makers =
      Schedulers.daemonThreads("sbx-warm-create", PARALLEL_CREATES);
  // When this process first saw each pool sandbox: with its creation time, the start of its wait.
  private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();
  private final AtomicLong retiredNotReady = new AtomicLong();
  private volatile boolean leading;
  private volatile int desired;

  WarmPool(
      KubernetesClient client,
      SandboxInformers informers,
      SandboxObjects objects,
      SandboxTemplate template,
      PoolSettings settings,
      SandboxIdSource ids,
      Clock clock) {
    this.client = client;
    this.ids = ids;
    this.informers = informers;
    this.objects = objects;
    this.template = template;
    this.settings = settings;
    this.clock = clock;
    this.window = new CreateWindow(clock);
  }

  void start() {
    logger.info(
        "warm pool enabled={} autosize={} size={} min={} max={}",
        settings.poolEnabled(),
        settings.autosize(),
        settings.size(),
        settings.min(),
        settings.max());
    informers.onAnyChange(this::nudge);
    loop.scheduleWithFixedDelay(
        this::reconcileQuietly, 0, RESYNC.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Leading replicas fill the pool; the others only claim from it. */
  void lead(boolean leading) {
    this.leading = leading;
    nudge();
  }

  boolean leading() {
    return leading;
  }

  /** Counts a create of any kind towards the autosize window. */
  void created(String sandboxId) {
    window.record(sandboxId, clock.instant());
  }

  PoolStatus status() {
    return new PoolStatus(desired, available().size(), retiredNotReady.get());
  }

  /**
   * Takes the oldest ready warm sandbox with one write: its pod labelled claimed, guarded by the
   * resourceVersion the cache holds. A conflict means another create (here or in another replica)
   * got there first, or the pod changed; the next candidate is tried.
   *
   * @return the claimed pod, or empty when no warm sandbox is ready
   */
  Optional<Pod> claim() {
    for (var candidate : available()) {
      var id = candidate.getMetadata().getNamespace();
      if (!claiming.add(id)) {
        continue;
      }
      try {
        var now = clock.instant();
        var claimed =
            new PodBuilder(candidate)
                .editMetadata()
                .addToLabels(Labels.CLAIMED, "true")
                .addToAnnotations(Labels.CLAIMED_AT, now.toString())
                .endMetadata()
                .build();
        var updated = client.pods().inNamespace(id).resource(claimed).update();
        claimedHere.put(id, now);
        nudge();
        return Optional.of(updated);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 && e.getCode() != 404) {
          throw KubernetesErrors.translate(e, "claim warm sandbox " + id);
        }
        logger.debug("warm sandbox {} was taken or changed meanwhile; trying the next", id);
      } finally {
        claiming.remove(id);
      }
    }
    nudge(); // an empty pool is a sign of demand
    return Optional.empty();
  }

  /** Whether the sandbox belongs to the pool, not to a user: hidden from get, list and delete. */
  boolean member(Namespace namespace, @Nullable Pod pod) {
    return WarmSandboxes.unclaimed(namespace, pod)
        && !claimedHere.containsKey(namespace.getMetadata().getName());
  }

  /** When a create took this sandbox from the pool, or null if it never was in the pool. */
  @Nullable Instant claimedAt(Namespace namespace, @Nullable Pod pod) {
    var here = claimedHere.get(namespace.getMetadata().getName());
    return here != null ? here : WarmSandboxes.claimedAt(pod);
  }

  /** Runs a reconcile pass now and waits for it; tests call it instead of waiting. */
  void reconcileNow() {
    try {
      loop.submit(this::reconcileQuietly).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("reconcile pass failed", e);
    }
  }

  private void nudge() {
    if (pending.compareAndSet(false, true)) {
      loop.execute(
          () -> {
            pending.set(false);
            reconcileQuietly();
          });
    }
  }

  private void reconcileQuietly() {
    try {
      reconcile();
    } catch (RuntimeException e) {
      logger.warn("warm pool reconcile: {}", e.getMessage());
    }
  }

  private void reconcile() {
    if (!informers.synced()) {
      return;
    }
    var now = clock.instant();
    var members = new ArrayList<Member>();
    for (var namespace : informers.namespaces()) {
      if (!live(namespace)) {
        continue;
      }
      var id = namespace.getMetadata().getName();
      var pod = informers.pod(id).orElse(null);
      rememberCreate(namespace, pod);
      if (pod != null) {
        inFlight.remove(id);
        if (WarmSandboxes.claimed(pod)) {
          claimedHere.remove(id);
        }
      }
      if (member(namespace, pod) && !claiming.contains(id) && !inFlight.contains(id)) {
        members.add(new Member(namespace, pod));
      }
    }
    forgetClaimsOfDeletedSandboxes();
    var ids = members.stream().map(Member::id).collect(Collectors.toSet());
    firstSeen.keySet().retainAll(ids);
    members.forEach(member -> firstSeen.putIfAbsent(member.id(), now));
    desired = settings.desired(window.count());
    if (!leading) {
      return;
    }
    var healthy = new ArrayList<Member>();
    for (var member : members) {
      if (member.stuck(now)) {
        // Once per pod: a retired pod's namespace goes with it.
        logger.warn(
            "retiring warm sandbox {}: not Ready within {} ({}); check the image and the nodes",
            member.id(),
            settings.createReadyTimeout(),
            member.waitingReason());
        retiredNotReady.incrementAndGet();
        retire(member);
      } else if (member.broken(now)) {
        logger.info("replacing warm sandbox {}: {}", member.id(), member.trouble());
        retire(member);
      } else {
        healthy.add(member);
      }
    }
    int count = healthy.size() + inFlight.size();
    for (int i = count; i < desired; i++) {
      make();
    }
    if (count > desired) {
      // Autosize shrinks: not-ready ones first, then the newest, so the warmest stay.
      healthy.sort(
          Comparator.comparing(Member::ready)
              .thenComparing(Member::created, Comparator.reverseOrder()));
      healthy.stream().limit(Math.min(count - desired, healthy.size())).forEach(this::retire);
    }
  }

  /**
   * Rebuilds the autosize window from the cluster: after a restart, and creates of other replicas.
   */
  private void rememberCreate(Namespace namespace, @Nullable Pod pod) {
    var id = namespace.getMetadata().getName();
    if (!WarmSandboxes.warm(namespace)) {
      window.record(id, WarmSandboxes.createdAt(namespace));
    } else if (WarmSandboxes.claimed(pod)) {
      var claimed = WarmSandboxes.claimedAt(pod);
      if (claimed != null) {
        window.record(id, claimed);
      }
    }
  }

  private void forgetClaimsOfDeletedSandboxes() {
    claimedHere.keySet().removeIf(id -> informers.namespace(id).filter(WarmPool::live).isEmpty());
  }

  private void make() {
    var id = ids.newId();
    inFlight.add(id);
    makers.execute(
        () -> {
          try {
            objects.create(id, template, Labels.WARM);
          } catch (RuntimeException e) {
            inFlight.remove(id);
            logger.warn("could not start warm sandbox {}: {}", id, e.getMessage());
          }
        });
  }

  /**
   * Deletes a pool sandbox. The pod goes first, guarded by its resourceVersion, so that a claim
   * that won meanwhile keeps its sandbox.
   */
  private void retire(Member member) {
    var id = member.id();
    try {
      if (member.pod() != null) {
        client
            .pods()
            .inNamespace(id)
            .withName(Labels.POD_NAME)
            .lockResourceVersion(member.pod().getMetadata().getResourceVersion())
            .delete();
      }
      objects.deleteNamespace(id);
    } catch (KubernetesClientException e) {
      logger.debug("warm sandbox {} kept: {}", id, e.getMessage());
    } catch (RuntimeException e) {
      logger.warn("could not delete warm sandbox {}: {}", id, e.getMessage());
    }
  }

  /** Unclaimed, Ready warm pods in the cache, oldest first. */
  private List<Pod> available() {
    var ready = new ArrayList<Member>();
    for (var namespace : informers.namespaces()) {
      var id = namespace.getMetadata().getName();
      var pod = informers.pod(id).orElse(null);
      if (live(namespace) && member(namespace, pod) && !claiming.contains(id)) {
        var candidate = new Member(namespace, pod);
        if (candidate.ready()) {
          ready.add(candidate);
        }
      }
    }
    ready.sort(Comparator.comparing(Member::created).thenComparing(Member::id));
    return ready.stream().map(Member::pod).toList();
  }

  static boolean live(Namespace namespace) {
    return namespace.getMetadata().getDeletionTimestamp() == null
        && (namespace.getStatus() == null
            || !"Terminating".equals(namespace.getStatus().getPhase()));
  }

  @Override
  public void close() {
    loop.shutdownNow();
    makers.shutdownNow();
  }

  /** A pool sandbox as the cache shows it. */
  private final class Member {
    private final Namespace namespace;
    private final @Nullable Pod pod;

    Member(Namespace namespace, @Nullable Pod pod) {
      this.namespace = namespace;
      this.pod = pod;
    }

    String id() {
      return namespace.getMetadata().getName();
    }

    @Nullable Pod pod() {
      return pod;
    }

    Instant created() {
      return WarmSandboxes.createdAt(namespace);
    }

    boolean ready() {
      return SandboxStatus.of(pod).ready() && pod.getMetadata().getDeletionTimestamp() == null;
    }

    boolean broken(Instant now) {
      return trouble(now) != null;
    }

    /**
     * Never Ready since it was made, for longer than a create may take: an image that cannot be
     * pulled, a pod no node can take. It would hold its pool slot for ever.
     */
    boolean stuck(Instant now) {
      // The later of its creation and when this process first saw it: a restarted control plane
      // gives a pod it finds stuck one more bound, and a clock never makes a new pod look old.
      var seen = firstSeen.getOrDefault(id(), now);
      var since = seen.isAfter(created()) ? seen : created();
      return pod != null
          && "Pending".equals(SandboxStatus.of(pod).phase())
          && since.plus(settings.createReadyTimeout()).isBefore(now);
    }

    String waitingReason() {
      var reason = SandboxStatus.of(pod).reason();
      return reason == null ? "Pending" : reason;
    }

    String trouble() {
      var why = trouble(clock.instant());
      return why == null ? "none" : why;
    }

    private @Nullable String trouble(Instant now) {
      if (pod == null) {
        return created().plus(GRACE).isBefore(now) ? "its pod is gone" : null;
      }
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        return "its pod is being deleted";
      }
      var status = SandboxStatus.of(pod);
      if ("Failed".equals(status.phase()) || "Succeeded".equals(status.phase())) {
        return "its pod ended (" + status.phase() + ")";
      }
      if ("Running".equals(status.phase()) && !status.ready()) {
        var since = notReadySince();
        return since.plus(GRACE).isBefore(now) ? "its pod is not Ready" : null;
      }
      return null;
    }

    private Instant notReadySince() {
      var conditions = pod.getStatus().getConditions();
      if (conditions != null) {
        for (var condition : conditions) {
          if ("Ready".equals(condition.getType()) && condition.getLastTransitionTime() != null) {
            return Instant.parse(condition.getLastTransitionTime());
          }
        }
      }
      return created();
    }
  }
}
