package dev.sbx.controlplane.sandbox;

import dev.sbx.controlplane.config.ConfigKey;
import dev.sbx.controlplane.config.EnvNames;
import dev.sbx.controlplane.metrics.SandboxMetrics;
import dev.sbx.controlplane.problem.InvalidRequestException;
import dev.sbx.controlplane.runtime.EgressPolicy;
import dev.sbx.controlplane.runtime.LaunchType;
import dev.sbx.controlplane.runtime.NetworkMode;
import dev.sbx.controlplane.runtime.Resources;
import dev.sbx.controlplane.runtime.SandboxDefaultsProperties;
import dev.sbx.controlplane.runtime.SandboxInfo;
import dev.sbx.controlplane.runtime.SandboxNotFoundException;
import dev.sbx.controlplane.runtime.SandboxRuntime;
import dev.sbx.controlplane.runtime.SandboxSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/** Creates, finds and deletes sandboxes; turns requests and configuration into sandbox specs. */
@Service
public class SandboxService implements SmartInitializingSingleton {

  private static final Logger logger = LoggerFactory.getLogger(SandboxService.class);

  private final SandboxRuntime runtime;
  private final SandboxDefaultsProperties defaults;
  private final ApplicationEventPublisher events;
  private final SandboxMetrics metrics;
  private final Resources configured;

  public SandboxService(
      SandboxRuntime runtime,
      SandboxDefaultsProperties defaults,
      ApplicationEventPublisher events,
      SandboxMetrics metrics) {
    this.runtime = runtime;
    this.defaults = defaults;
    this.events = events;
    this.metrics = metrics;
    this.configured = defaults.resources();
  }

  /** Listens to the runtime once every bean exists: what it reports goes to metrics and events. */
  @Override
  public void afterSingletonsInstantiated() {
    runtime.onReady((id, sinceCreate) -> metrics.ready(sinceCreate));
    runtime.onProtocolViolation(id -> metrics.protocolViolation());
    runtime.onReaped(
        id -> {
          forget(id);
          metrics.reaped();
        });
  }

  public SandboxInfo create(CreateSandboxRequest request) {
    var id = blank(request.id()) ? SandboxIds.generate() : SandboxIds.normalize(request.id());
    checkChoice("volume_mode", request.volumeMode(), ConfigKey.VOLUME_MODE);
    checkChoice("cache_mode", request.cacheMode(), ConfigKey.CACHE_MODE);
    var allowed = hosts("allowed_hosts", request.allowedHosts(), defaults.allowedHosts());
    var disallowed =
        hosts("disallowed_hosts", request.disallowedHosts(), defaults.disallowedHosts());
    var network = network(request);
    var env = new TreeMap<>(defaults.env());
    if (request.env() != null) {
      request.env().forEach((name, value) -> env.put(checkEnvName(name), value));
    }
    var command =
        request.command() == null || request.command().isEmpty() ? null : request.command();
    var spec =
        new SandboxSpec(
            id,
            Map.copyOf(env),
            blank(request.image()) ? null : request.image(),
            command,
            allowed,
            disallowed,
            new SandboxSpec.Storage(
                blankToNull(request.volumeMode()),
                blankToNull(request.cacheMode()),
                blankToNull(request.cachePvcSize()),
                blankToNull(request.cachePvcStorageClass()),
                blankToNull(request.cachePvcAccessMode())),
            !blank(request.id()),
            network,
            RequestedResources.resolve(request.resources(), configured));
    long started = System.nanoTime();
    var created = runtime.create(spec);
    boolean warm = created.launchType() == LaunchType.WARM;
    metrics.created(warm);
    if (warm) {
      metrics.claimed(Duration.ofNanos(System.nanoTime() - started));
    }
    logger.info(
        "created sandbox {} ({} runtime, {})", created.id(), runtime.name(), created.launchType());
    return created;
  }

  /**
   * The network mode of a create: the request's, else allowlist when it gives allowed hosts, else
   * the configured mode, else allowlist when hosts are configured, else none.
   */
  private NetworkMode network(CreateSandboxRequest request) {
    if (!blank(request.network())) {
      return mode(request.network());
    }
    if (request.allowedHosts() != null) {
      return NetworkMode.ALLOWLIST;
    }
    return defaults.networkMode();
  }

  /** The sandbox's egress policy now. */
  public EgressPolicy network(String given) {
    var id = SandboxIds.normalize(given);
    return runtime.egressPolicy(id).orElseThrow(() -> new SandboxNotFoundException(id));
  }

  /** The policy of a sandbox the runtime just listed or found, if it still has one. */
  public @Nullable EgressPolicy networkOf(SandboxInfo sandbox) {
    return runtime.egressPolicy(sandbox.id()).orElse(null);
  }

  /** Changes what the sandbox may reach, from its next connection on; answers the new policy. */
  public EgressPolicy updateNetwork(String given, UpdateSandboxRequest request) {
    var id = SandboxIds.normalize(given);
    var current = network(id);
    var allowed =
        request.allowedHosts() == null
            ? current.allowedHosts()
            : hosts("allowed_hosts", request.allowedHosts(), List.of());
    var disallowed =
        request.disallowedHosts() == null
            ? current.disallowedHosts()
            : hosts("disallowed_hosts", request.disallowedHosts(), List.of());
    var mode =
        !blank(request.network())
            ? mode(request.network())
            : request.allowedHosts() != null && current.mode() == NetworkMode.NONE
                ? NetworkMode.ALLOWLIST
                : current.mode();
    var updated = runtime.updateEgressPolicy(id, new EgressPolicy(mode, allowed, disallowed));
    logger.info(
        "sandbox {}: network {} ({} allowed, {} disallowed hosts)",
        id,
        updated.mode().value(),
        updated.allowedHosts().size(),
        updated.disallowedHosts().size());
    return updated;
  }

  private static NetworkMode mode(String given) {
    try {
      return NetworkMode.parse(given);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("network", e.getMessage());
    }
  }

  /** The sandbox for an id as a user wrote it ({@code sbx-demo} or {@code demo}). */
  public SandboxInfo get(String given) {
    var id = SandboxIds.normalize(given);
    return runtime.find(id).orElseThrow(() -> new SandboxNotFoundException(id));
  }

  /**
   * The id of an existing sandbox, for an id as a user wrote it; cheaper than {@link #get}, which
   * reads the sandbox's usage.
   */
  public String existingId(String given) {
    var id = SandboxIds.normalize(given);
    if (!runtime.exists(id)) {
      throw new SandboxNotFoundException(id);
    }
    return id;
  }

  public List<SandboxInfo> list() {
    return runtime.list();
  }

  public void delete(String given) {
    var id = SandboxIds.normalize(given);
    if (!runtime.delete(id)) {
      throw new SandboxNotFoundException(id);
    }
    forget(id);
    metrics.deleted();
    logger.info("deleted sandbox {}", id);
  }

  /** Tells whoever kept something about the sandbox in this process that it is gone. */
  private void forget(String id) {
    events.publishEvent(new SandboxDeleted(id));
  }

  private static void checkChoice(String field, @Nullable String value, ConfigKey key) {
    if (!blank(value) && !key.choices().contains(value)) {
      throw new InvalidRequestException(
          field, "\"" + value + "\" is not one of " + String.join(", ", key.choices()));
    }
  }

  private static List<String> hosts(
      String field, @Nullable List<String> requested, List<String> configured) {
    if (requested == null) {
      return configured;
    }
    if (requested.contains(null)) {
      throw new InvalidRequestException(field, "an entry is null");
    }
    try {
      return EgressPolicy.check(requested);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(field, e.getMessage());
    }
  }

  private static String checkEnvName(String name) {
    if (!EnvNames.valid(name)) {
      throw new InvalidRequestException(
          "env", "\"" + name + "\" is not a valid environment variable name");
    }
    return name;
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return blank(value) ? null : value;
  }

  private static boolean blank(@Nullable String value) {
    return value == null || value.isEmpty();
  }
}
