package dev.sbx.controlplane.peers;

import dev.sbx.controlplane.config.ConfigKey;
import dev.sbx.controlplane.config.InvalidConfigException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The replica settings that cannot work, refused before the control plane starts. */
public final class ReplicaCheck {

  private ReplicaCheck() {}

  /**
   * @param runtime the runtime's name
   * @param service SANDBOX_PEERS_SERVICE
   * @param peers SANDBOX_PEERS
   * @param ownAddress SANDBOX_PEER_ADDRESS
   * @param secret SANDBOX_PEER_SECRET
   * @param apiToken SANDBOX_API_TOKEN
   */
  public static void check(
      String runtime,
      @Nullable String service,
      @Nullable List<?> peers,
      @Nullable String ownAddress,
      @Nullable String secret,
      @Nullable String apiToken) {
    boolean replicated = service != null || (peers != null && !peers.isEmpty());
    if (!replicated) {
      return;
    }
    if (service != null && peers != null && !peers.isEmpty()) {
      throw new InvalidConfigException(
          ConfigKey.PEERS_SERVICE.envVar()
              + " and "
              + ConfigKey.PEERS.envVar()
              + " are both set: replicas come from one or the other");
    }
    // One state folder and one lock: two local control planes cannot share sandboxes.
    if (!"kubernetes".equals(runtime)) {
      throw new InvalidConfigException(
          "several replicas need SANDBOX_RUNTIME=kubernetes: the local runtime keeps its sandboxes"
              + " in one state folder, for one control plane");
    }
    if (secret == null && apiToken == null) {
      throw new InvalidConfigException(
          "several replicas need "
              + ConfigKey.PEER_SECRET.envVar()
              + " (or "
              + ConfigKey.API_TOKEN.envVar()
              + "): without it anyone who reaches a replica could pass as another");
    }
    if (peers != null) {
      for (var peer : peers) {
        PeerAddress.parse(String.valueOf(peer), ConfigKey.PEERS.envVar());
      }
    }
    if (ownAddress != null) {
      PeerAddress.parse(ownAddress, ConfigKey.PEER_ADDRESS.envVar());
    }
  }
}
