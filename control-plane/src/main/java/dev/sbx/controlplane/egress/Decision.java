package dev.sbx.controlplane.egress;

import java.net.InetAddress;
import org.jspecify.annotations.Nullable;

/**
 * What the proxy does with one connection attempt.
 *
 * @param allowed whether it connects
 * @param failed whether it was allowed but cannot be served (the name does not resolve)
 * @param address the address it connects to (or the first one it refused), when it resolved any
 * @param reason one line, safe to show the sandbox and to log: what allowed or refused it
 */
record Decision(boolean allowed, boolean failed, @Nullable InetAddress address, String reason) {

  static Decision allow(InetAddress address, String reason) {
    return new Decision(true, false, address, reason);
  }

  static Decision deny(@Nullable InetAddress address, String reason) {
    return new Decision(false, false, address, reason);
  }

  static Decision failure(String reason) {
    return new Decision(false, true, null, reason);
  }
}
