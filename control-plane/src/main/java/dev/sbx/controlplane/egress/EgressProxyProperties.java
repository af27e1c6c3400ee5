package dev.sbx.controlplane.egress;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The egress proxy's settings, bound from the {@code sandbox.egress-*} properties that the {@code
 * SANDBOX_EGRESS_*} variables and file keys become (see config.ConfigKey for names and defaults).
 *
 * @param egressAllowPrivate addresses and CIDR ranges sandboxes may reach although private
 * @param egressMaxConnections connections one sandbox may have open through the proxy
 * @param egressIdleTimeout how long a connection may carry no byte before it is closed
 * @param egressConnectTimeout longest time to resolve a host and connect to it
 */
@Validated
@ConfigurationProperties("sandbox")
record EgressProxyProperties(
    List<String> egressAllowPrivate,
    @Positive int egressMaxConnections,
    @NotNull Duration egressIdleTimeout,
    @NotNull Duration egressConnectTimeout) {

  EgressProxyProperties {
    egressAllowPrivate = egressAllowPrivate == null ? List.of() : List.copyOf(egressAllowPrivate);
  }
}
