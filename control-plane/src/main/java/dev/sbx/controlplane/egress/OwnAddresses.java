package dev.sbx.controlplane.egress;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The addresses of this machine's (or pod's) interfaces, which no sandbox may reach through the
 * proxy: a service listening on all interfaces is the host's, not the internet's. Read at start,
 * then again in the background at most every 30 seconds, as interfaces come and go: a decision,
 * which may run on the proxy's event loop, never waits for it.
 */
final class OwnAddresses implements Supplier<Set<InetAddress>> {

  private static final long REFRESH_NANOS = 30_000_000_000L;

  private volatile Set<InetAddress> addresses = read();
  private final AtomicLong readAt = new AtomicLong(System.nanoTime());

  @Override
  public Set<InetAddress> get() {
    long last = readAt.get();
    long now = System.nanoTime();
    if (now - last > REFRESH_NANOS && readAt.compareAndSet(last, now)) {
      CompletableFuture.runAsync(() -> addresses = read());
    }
    return addresses;
  }

  private static Set<InetAddress> read() {
    var found = new HashSet<InetAddress>();
    try {
      for (var nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (var address : Collections.list(nic.getInetAddresses())) {
          // Without the scope, so that it compares equal to the address a name resolves to.
          found.add(InetAddress.getByAddress(address.getAddress()));
        }
      }
    } catch (SocketException | UnknownHostException e) {
      // Without the list, loopback, link-local and private ranges are still refused.
    }
    return Set.copyOf(found);
  }
}
