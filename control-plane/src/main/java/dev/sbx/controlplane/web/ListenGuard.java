package dev.sbx.controlplane.web;

import dev.sbx.controlplane.config.ConfigKey;
import dev.sbx.controlplane.config.InvalidConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.jspecify.annotations.Nullable;

/**
 * Refuses to listen beyond loopback without a token: whoever reaches the port could otherwise run
 * commands in every sandbox.
 */
public final class ListenGuard {

  private ListenGuard() {}

  /**
   * @param address the configured listen address; empty means every interface
   */
  public static void check(@Nullable String address, @Nullable String token) {
    if (token != null || isLoopback(address)) {
      return;
    }
    throw new InvalidConfigException(
        "SERVER_ADDRESS="
            + (address == null || address.isEmpty() ? "(every interface)" : address)
            + " listens beyond loopback, so "
            + ConfigKey.API_TOKEN.envVar()
            + " must be set: every request will then need Authorization: Bearer <token>");
  }

  private static boolean isLoopback(@Nullable String address) {
    if (address == null || address.isBlank()) {
      return false;
    }
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new InvalidConfigException("SERVER_ADDRESS=" + address + ": unknown host", e);
    }
  }
}
