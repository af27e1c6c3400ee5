package dev.sbx.controlplane.peers;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How replicas find each other, bound from the {@code sandbox.*} properties that the {@code
 * SANDBOX_PEER*} variables and file keys become (see config.ConfigKey for names and checks).
 *
 * @param peersService the headless Service whose ready endpoints are the replicas (Kubernetes)
 * @param peers replicas listed by hand, {@code host:port} each, health-checked
 * @param peerAddress the {@code host:port} the other replicas reach this one at
 * @param peerSecret what a forwarded request carries to show it comes from a replica
 * @param apiToken the API's token, the secret's fallback
 */
@Validated
@ConfigurationProperties("sandbox")
public record PeerProperties(
    @Nullable String peersService,
    @Nullable List<String> peers,
    @Nullable String peerAddress,
    @Nullable String peerSecret,
    @Nullable String apiToken) {

  /** Whether this control plane runs as one of several replicas. */
  public boolean replicated() {
    return (peersService != null && !peersService.isBlank()) || (peers != null && !peers.isEmpty());
  }

  /** The shared secret of forwarded requests: its own, else the API token, else none. */
  public @Nullable String secret() {
    if (peerSecret != null && !peerSecret.isBlank()) {
      return peerSecret;
    }
    return apiToken != null && !apiToken.isBlank() ? apiToken : null;
  }
}
