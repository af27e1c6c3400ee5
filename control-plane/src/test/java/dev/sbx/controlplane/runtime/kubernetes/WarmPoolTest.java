package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sbx.controlplane.runtime.IngestTokens;
import dev.sbx.controlplane.runtime.LaunchType;
import dev.sbx.controlplane.runtime.SandboxInfo;
import dev.sbx.controlplane.runtime.SandboxSpec;
import dev.sbx.controlplane.sandbox.SandboxIds;
import dev.sbx.controlplane.testing.MutableClock;
import dev.sbx.controlplane.testing.Specs;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The warm pool against fabric8's mock API server in CRUD mode. Mock pods never start by
 * themselves: the test marks them Ready, as a kubelet would.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = ApiCallRecorder.class)
@ExtendWith({ApiCallRecorder.class, MockServerTeardown.class})
class WarmPoolTest {

  static KubernetesMockServer server;
  static KubernetesClient client;

  private final MutableClock clock = new MutableClock(Instant.now());
  private final List<KubernetesRuntime> opened = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    opened.forEach(KubernetesRuntime::close);
    MockCluster.deleteSandboxNamespaces(client);
  }

  @Test
  void thePoolShouldFillToItsSizeAndStayOutOfSight() {
    var runtime = pool(3);
    var warm = readyPool(runtime, 3);
    assertThat(warm).allSatisfy(id -> assertThat(id).matches("sbx-[0-9a-f]{12}"));
    assertThat(runtime.list()).isEmpty();
    assertThat(runtime.find(warm.get(0))).isEmpty();
    assertThat(runtime.delete(warm.get(0))).isFalse();
    assertThat(runtime.pool().desired()).isEqualTo(3);
  }

  @Test
  void aClaimShouldTakeAReadySandboxInOneWriteAndThePoolRefill() throws Exception {
    var runtime = pool(2);
    var warm = readyPool(runtime, 2);
    writesTo("nothing");

    var created = runtime.create(unnamed());

    assertThat(created.launchType()).isEqualTo(LaunchType.WARM);
    assertThat(created.ready()).isTrue();
    assertThat(warm).contains(created.id());
    assertThat(writesTo(created.id()))
        .containsExactly("PUT /api/v1/namespaces/" + created.id() + "/pods/sandbox");
    assertThat(runtime.find(created.id())).isPresent();
    assertThat(runtime.list()).extracting(SandboxInfo::id).containsExactly(created.id());
    await().atMost(Duration.ofSeconds(10)).until(() -> unclaimedWarm().size() == 2);
  }

  @Test
  void aWarmSandboxWhosePodIsDeletedShouldBeReplaced() {
    var runtime = pool(2);
    var warm = readyPool(runtime, 2);
    client.pods().inNamespace(warm.get(0)).withName(Labels.POD_NAME).delete();
    await().atMost(Duration.ofSeconds(5)).until(() -> runtime.pool().ready() == 1);
    clock.set(Instant.now().plus(WarmPool.GRACE).plusSeconds(1));

    runtime.reconcilePool();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                client.namespaces().withName(warm.get(0)).get() == null
                    && unclaimedWarm().size() == 2);
    assertThat(unclaimedWarm()).doesNotContain(warm.get(0)).contains(warm.get(1));
  }

  @Test
  void aWarmSandboxsSidecarShouldBeLetInBeforeAnyCreateClaimsIt() {
    var runtime =
        open(
            "SANDBOX_WARM_POOL_SIZE", "1",
            "SANDBOX_IDLE_TTL", "0",
            "SANDBOX_STREAM_MODE", "sidecar",
            "SANDBOX_STREAM_SIDECAR_IMAGE", "sbx-stream-sidecar:dev",
            "SANDBOX_STREAM_ENDPOINT", "http://host.example:8080");
    var warm = readyPool(runtime, 1).get(0);
    assertThat(runtime.find(warm)).as("hidden from users until claimed").isEmpty();
    assertThat(runtime.ingestTokenSha256(warm))
        .isEqualTo(IngestTokens.sha256(MockCluster.ingestToken(client, warm)));
    assertThat(runtime.ingestTokenSha256("sbx-nobody")).isNull();
  }

  @Test
  void aWarmSandboxStuckPendingPastTheCreateReadyTimeoutShouldBeRetiredAndCounted() {
    var runtime =
        open(
            "SANDBOX_WARM_POOL_SIZE", "1",
            "SANDBOX_IDLE_TTL", "0",
            "SANDBOX_CREATE_READY_TIMEOUT", "60s");
    await().atMost(Duration.ofSeconds(20)).until(() -> unclaimedWarm().size() == 1);
    var stuck = unclaimedWarm().get(0);
    new MockCluster(server, client).markWaiting(stuck, "ImagePullBackOff");
    await().atMost(Duration.ofSeconds(20)).until(runtime::leading);

    runtime.reconcilePool();
    clock.set(Instant.now().plusSeconds(30));
    runtime.reconcilePool();
    assertThat(client.namespaces().withName(stuck).get()).as("within the bound").isNotNull();

    clock.set(Instant.now().plusSeconds(61));
    runtime.reconcilePool();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> client.namespaces().withName(stuck).get() == null && unclaimedWarm().size() == 1);
    assertThat(runtime.pool().retiredNotReady()).isEqualTo(1);
  }

  @Test
  void tenConcurrentCreatesAgainstAPoolOfThreeShouldGetThreeWarmAndSevenColdAllDistinct()
      throws Exception {
    var runtime = pool(3);
    readyPool(runtime, 3);
    var start = new CountDownLatch(1);
    var executor = Executors.newFixedThreadPool(10);
    var results = new ArrayList<CompletableFuture<SandboxInfo>>();
    for (int i = 0; i < 10; i++) {
      results.add(
          CompletableFuture.supplyAsync(
              () -> {
                awaitQuietly(start);
                return runtime.create(unnamed());
              },
              executor));
    }
    start.countDown();
    var created = new ArrayList<SandboxInfo>();
    for (var result : results) {
      created.add(result.get(30, TimeUnit.SECONDS));
    }
    executor.shutdown();

    assertThat(created).extracting(SandboxInfo::id).doesNotHaveDuplicates();
    assertThat(created).filteredOn(s -> s.launchType() == LaunchType.WARM).hasSize(3);
    assertThat(created).filteredOn(s -> s.launchType() == LaunchType.COLD).hasSize(7);
    var claimedPods =
        created.stream()
            .filter(s -> s.launchType() == LaunchType.WARM)
            .map(s -> client.pods().inNamespace(s.id()).withName(Labels.POD_NAME).get())
            .toList();
    assertThat(claimedPods)
        .allSatisfy(
            pod -> assertThat(pod.getMetadata().getLabels()).containsEntry(Labels.CLAIMED, "true"));
  }

  @Test
  void aConflictOnClaimShouldMoveToTheNextCandidate() {
    var runtime = pool(2);
    var warm = readyPool(runtime, 2);
    var first = claimOrder().get(0);
    server
        .expect()
        .put()
        .withPath("/api/v1/namespaces/" + first + "/pods/sandbox")
        .andReturn(
            409,
            new StatusBuilder()
                .withCode(409)
                .withReason("Conflict")
                .withMessage("the object has been modified")
                .build())
        .once();

    var created = runtime.create(unnamed());

    assertThat(created.launchType()).isEqualTo(LaunchType.WARM);
    assertThat(created.id()).isNotEqualTo(first).isIn(warm);
    assertThat(runtime.find(first)).isEmpty(); // still the pool's
  }

  @Test
  void requestsWithSettingsTheWarmTemplateLacksShouldGoCold() {
    var runtime = pool(2);
    readyPool(runtime, 2);
    var storage = SandboxSpec.Storage.DEFAULT;
    var withImage =
        new SandboxSpec(
            SandboxIds.generate(),
            Map.of(),
            "alpine:3",
            null,
            List.of(),
            List.of(),
            storage,
            false);
    var withEnv =
        new SandboxSpec(
            SandboxIds.generate(),
            Map.of("A", "1"),
            null,
            null,
            List.of(),
            List.of(),
            storage,
            false);
    var withCommand =
        new SandboxSpec(
            SandboxIds.generate(),
            Map.of(),
            null,
            List.of("sleep", "1000"),
            List.of(),
            List.of(),
            storage,
            false);
    var withCache = Specs.unnamed(new SandboxSpec.Storage(null, "pvc", null, null, null));
    var named = Templates.spec("sbx-mine");

    for (var spec : List.of(withImage, withEnv, withCommand, withCache, named)) {
      var created = runtime.create(spec);
      assertThat(created.launchType()).as(spec.toString()).isEqualTo(LaunchType.COLD);
      assertThat(created.id()).isEqualTo(spec.id());
    }
    assertThat(runtime.pool().ready()).isEqualTo(2);
  }

  @Test
  void anEmptyPoolShouldFallBackToACold() {
    var runtime = pool(2); // its sandboxes never become Ready here
    await().atMost(Duration.ofSeconds(10)).until(() -> unclaimedWarm().size() == 2);
    var spec = unnamed();
    var created = runtime.create(spec);
    assertThat(created.launchType()).isEqualTo(LaunchType.COLD);
    assertThat(created.id()).isEqualTo(spec.id());
  }

  @Test
  void aRestartedControlPlaneShouldNotDuplicateThePool() {
    var first = pool(2);
    var warm = readyPool(first, 2);
    first.close();
    opened.remove(first);

    var restarted = pool(2);
    await().atMost(Duration.ofSeconds(20)).until(restarted::leading);
    restarted.reconcilePool();
    restarted.reconcilePool();

    assertThat(unclaimedWarm()).containsExactlyInAnyOrderElementsOf(warm);
    assertThat(restarted.pool().ready()).isEqualTo(2);
    assertThat(restarted.create(unnamed()).launchType()).isEqualTo(LaunchType.WARM);
  }

  @Test
  void anAutosizedPoolShouldGrowWithCreatesOfTheLastMinuteEvenAfterARestart() {
    var settings =
        new String[] {
          "SANDBOX_WARM_POOL_AUTOSIZE", "true",
          "SANDBOX_WARM_POOL_MIN", "1",
          "SANDBOX_WARM_POOL_MAX", "3",
          "SANDBOX_IDLE_TTL", "0"
        };
    var runtime = open(settings);
    await().atMost(Duration.ofSeconds(20)).until(() -> unclaimedWarm().size() == 1);
    runtime.create(Templates.spec("sbx-cold-1"));
    runtime.create(Templates.spec("sbx-cold-2"));
    runtime.reconcilePool();
    assertThat(runtime.pool().desired()).isEqualTo(2);
    runtime.close();
    opened.remove(runtime);

    var restarted = open(settings);
    await().atMost(Duration.ofSeconds(20)).until(restarted::leading);
    restarted.reconcilePool();
    assertThat(restarted.pool().desired()).isEqualTo(2);
    clock.set(Instant.now().plusSeconds(61));
    restarted.reconcilePool();
    assertThat(restarted.pool().desired()).isEqualTo(1);
  }

  private KubernetesRuntime pool(int size) {
    return open("SANDBOX_WARM_POOL_SIZE", String.valueOf(size), "SANDBOX_IDLE_TTL", "0");
  }

  private KubernetesRuntime open(String... settings) {
    var runtime = TestRuntimes.open(Templates.config(settings), client, clock);
    opened.add(runtime);
    return runtime;
  }

  /** Waits for the pool to make its sandboxes, marks them Ready, and waits until they count. */
  private List<String> readyPool(KubernetesRuntime runtime, int size) {
    await().atMost(Duration.ofSeconds(20)).until(() -> unclaimedWarm().size() == size);
    var warm = unclaimedWarm();
    var cluster = new MockCluster(server, client);
    warm.forEach(cluster::markReady);
    await().atMost(Duration.ofSeconds(10)).until(() -> runtime.pool().ready() == size);
    return warm;
  }

  private List<String> unclaimedWarm() {
    return warmNamespaces().stream()
        .map(ns -> ns.getMetadata().getName())
        .filter(
            id -> {
              var pod = client.pods().inNamespace(id).withName(Labels.POD_NAME).get();
              return pod != null && !WarmSandboxes.claimed(pod);
            })
        .toList();
  }

  /** The order a claim tries candidates in: oldest first, then by name. */
  private List<String> claimOrder() {
    return warmNamespaces().stream()
        .sorted(
            Comparator.comparing(WarmSandboxes::createdAt)
                .thenComparing(ns -> ns.getMetadata().getName()))
        .map(ns -> ns.getMetadata().getName())
        .toList();
  }

  private List<Namespace> warmNamespaces() {
    return client.namespaces().withLabel(Labels.LAUNCH_TYPE, Labels.WARM).list().getItems();
  }

  /** Writes that touched this sandbox among the requests since the last call. */
  private List<String> writesTo(String id) throws InterruptedException {
    var writes = new ArrayList<String>();
    while (taken < server.getRequestCount()) {
      var request = server.takeRequest(5, TimeUnit.SECONDS);
      taken++;
      if (request != null
          && List.of("POST", "PUT", "PATCH", "DELETE").contains(request.getMethod())
          && request.getPath().startsWith("/api/v1/namespaces/" + id)) {
        writes.add(request.getMethod() + " " + request.getPath());
      }
    }
    return writes;
  }

  private int taken;

  private static SandboxSpec unnamed() {
    return Specs.unnamed();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
