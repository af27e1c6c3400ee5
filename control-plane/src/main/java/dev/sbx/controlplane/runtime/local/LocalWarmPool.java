package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.runtime.EgressChannels;
import dev.sbx.controlplane.runtime.NetworkMode;
import dev.sbx.controlplane.runtime.Resources;
import dev.sbx.controlplane.runtime.RuntimeUnavailableException;
import dev.sbx.controlplane.runtime.SandboxRuntime.PoolStatus;
import dev.sbx.controlplane.runtime.SandboxSpec;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local warm pool: sandboxes started ahead ({@link SpareSandboxes} keeps them topped up), and
 * how a create takes one.
 */
final class LocalWarmPool {

  private static final Logger logger = LoggerFactory.getLogger(LocalWarmPool.class);

  private final StateFolder state;
  private final SandboxFiles files;
  private final LocalSandboxContext shared;
  private final Resources configured;
  private final SandboxMaker maker;
  private volatile @Nullable SpareSandboxes spares;
  private volatile Map<String, String> defaultEnv = Map.of();

  LocalWarmPool(
      StateFolder state,
      SandboxFiles files,
      LocalSandboxContext shared,
      Resources configured,
      SandboxMaker maker) {
    this.state = state;
    this.files = files;
    this.shared = shared;
    this.configured = configured;
    this.maker = maker;
  }

  /**
   * Keeps {@code size} sandboxes started ahead from the defaults (the configured env and limits, no
   * network), which creates that name no id and ask for nothing else take. Their network policy is
   * the create's, applied when taken.
   */
  void keep(int size, Map<String, String> defaultEnv) {
    if (size <= 0) {
      return;
    }
    this.defaultEnv = Map.copyOf(defaultEnv);
    spares = new SpareSandboxes(size, this::startSpare, this::discard);
    spares.start();
    logger.info("warm pool: {} local sandboxes started ahead", size);
  }

  PoolStatus status() {
    var current = spares;
    return current == null ? PoolStatus.NONE : new PoolStatus(current.size(), current.ready(), 0);
  }

  /** Spares ready to be taken now. */
  int ready() {
    var current = spares;
    return current == null ? 0 : current.ready();
  }

  private boolean warmable(SandboxSpec spec) {
    return !spec.named() && spec.env().equals(defaultEnv) && spec.resources().equals(configured);
  }

  private LocalSandbox startSpare() {
    var id =
        "sbx-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(4);
    return maker.start(
        new SandboxSpec(
            id,
            defaultEnv,
            null,
            null,
            List.of(),
            List.of(),
            SandboxSpec.Storage.DEFAULT,
            false,
            NetworkMode.NONE,
            configured),
        true,
        null);
  }

  /**
   * A spare for this create, if one is ready and the create asks for nothing a spare lacks: it
   * becomes the create's sandbox, created now, with the create's network policy. Null otherwise.
   *
   * @param egress the egress proxy's channels, once the proxy runs
   */
  @Nullable LocalSandbox claim(SandboxSpec spec, @Nullable EgressChannels egress) {
    var current = spares;
    var spare = current != null && warmable(spec) ? current.take() : null;
    if (spare == null) {
      return null;
    }
    var id = spare.id();
    var folder = state.sandbox(id);
    var claimed =
        spare
            .metadata()
            .createdAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
            .with(spec.egress());
    try {
      files.save(folder, claimed);
      folder.unmarkSpare();
    } catch (IOException e) {
      discard(spare);
      throw new RuntimeUnavailableException("could not take a warm sandbox: " + e, e);
    }
    if (egress != null) {
      spare.useEgress(egress); // it may have been made before the proxy started
    }
    spare.claimed(claimed);
    return spare;
  }

  /** Stops and removes a spare no create took. */
  private void discard(LocalSandbox spare) {
    try {
      spare.delete();
    } catch (IOException e) {
      logger.warn("could not remove spare sandbox {}: {}", spare.id(), e.toString());
    }
    var user = spare.metadata().user();
    if (user != null && shared.uids() != null) {
      shared.uids().release(user, spare.id());
    }
  }

  /** Stops filling and removes the spares no create took. */
  void close() {
    var current = spares;
    if (current != null) {
      current.close();
    }
  }
}
