package dev.sbx.controlplane.egress;

import dev.sbx.controlplane.config.ConfigKey;
import dev.sbx.controlplane.config.InvalidConfigException;
import dev.sbx.controlplane.runtime.EgressPolicy;
import dev.sbx.controlplane.runtime.HostEntry;
import dev.sbx.controlplane.runtime.SandboxDefaultsProperties;
import dev.sbx.controlplane.runtime.SandboxRuntime;
import dev.sbx.controlplane.sandbox.SandboxDeleted;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/** Starts the egress proxy and hands it to the runtime. */
@Configuration
class EgressConfiguration {

  private static final Logger logger = LoggerFactory.getLogger(EgressConfiguration.class);

  private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(30);

  @Bean(destroyMethod = "close")
  EgressProxy egressProxy(
      EgressProxyProperties properties,
      SandboxDefaultsProperties defaults,
      SandboxRuntime runtime,
      MeterRegistry registry,
      @Value("${server.address:127.0.0.1}") String serverAddress) {
    check(ConfigKey.ALLOWED_HOSTS, defaults.allowedHosts());
    check(ConfigKey.DISALLOWED_HOSTS, defaults.disallowedHosts());
    var allowPrivate = check(ConfigKey.EGRESS_ALLOW_PRIVATE, properties.egressAllowPrivate());
    for (var entry : allowPrivate) {
      if (entry.kind() != HostEntry.Kind.ADDRESS && entry.kind() != HostEntry.Kind.RANGE) {
        throw new InvalidConfigException(
            ConfigKey.EGRESS_ALLOW_PRIVATE.envVar() + ": \"" + entry + "\" is not an IP or CIDR");
      }
    }
    var idle = properties.egressIdleTimeout();
    var settings =
        new EgressSettings(
            properties.egressMaxConnections(),
            idle,
            properties.egressConnectTimeout(),
            HEAD_TIMEOUT.compareTo(idle) < 0 ? HEAD_TIMEOUT : idle,
            allowPrivate,
            EgressSettings.AUDIT_SIZE);
    var proxy =
        new EgressProxy(
            settings,
            runtime::egressPolicy,
            new ForbiddenRanges(allowPrivate, new OwnAddresses()),
            new EgressMetrics(registry),
            Resolver.NameLookup.SYSTEM,
            Clock.systemUTC());
    runtime.useEgress(proxy);
    int port = runtime.egressProxyPort();
    if (port == 0 && runtime.identifiesByAddress()) {
      logger.warn(
          "egress proxy not listening: this control plane runs outside the cluster, where sandbox"
              + " pods cannot reach it; their connections out are refused (set"
              + " SANDBOX_EGRESS_PROXY_PORT to listen anyway)");
    }
    if (port > 0) {
      // Where the API listens: inside a cluster that is every interface, so pods reach it.
      try {
        var bound = proxy.listen(new InetSocketAddress(serverAddress, port), runtime::sandboxAt);
        logger.info("egress proxy listening on {} for sandbox pods", bound);
      } catch (IOException e) {
        proxy.close();
        throw new InvalidConfigException(
            ConfigKey.EGRESS_PROXY_PORT.envVar() + "=" + port + ": " + e.getMessage(), e);
      }
    }
    return proxy;
  }

  @Bean
  EgressAuditCleaner egressAuditCleaner(EgressProxy proxy) {
    return new EgressAuditCleaner(proxy);
  }

  /** Drops a deleted sandbox's audit and socket. */
  record EgressAuditCleaner(EgressProxy proxy) {
    @EventListener
    public void deleted(SandboxDeleted event) {
      proxy.forget(event.sandboxId());
    }
  }

  private static List<HostEntry> check(ConfigKey key, List<String> entries) {
    var parsed = new ArrayList<HostEntry>();
    for (var entry : entries) {
      try {
        parsed.add(HostEntry.parse(entry));
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigException(key.envVar() + ": " + e.getMessage(), e);
      }
    }
    EgressPolicy.check(entries);
    return parsed;
  }
}
