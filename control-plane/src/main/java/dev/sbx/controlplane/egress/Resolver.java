package dev.sbx.controlplane.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs the proxy's blocking work (the JDK's name lookups, which follow {@code /etc/hosts}, {@code
 * jdk.net.hosts.file} and the system's resolver, and the policy lookups) on threads of its own, so
 * that a slow DNS server never holds up the event loop, nor other sandboxes' connections beyond the
 * pool's bound.
 */
final class Resolver implements AutoCloseable {

  private static final int THREADS = 16;
  private static final int QUEUE = 1024;

  /** Resolves a name to its addresses, in the resolver's order. */
  @FunctionalInterface
  interface NameLookup {
    List<InetAddress> lookup(String host) throws UnknownHostException;

    /** The JDK's resolver: /etc/hosts (or jdk.net.hosts.file), then DNS. */
    NameLookup SYSTEM = host -> List.of(InetAddress.getAllByName(host));
  }

  private final ThreadPoolExecutor pool;
  private final NameLookup names;

  Resolver(NameLookup names) {
    this.names = names;
    var count = new AtomicInteger();
    pool =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(QUEUE),
            r -> {
              var thread = new Thread(r, "sbx-egress-resolver-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    pool.allowCoreThreadTimeOut(true);
  }

  /** Runs the work on the pool; the future fails with RejectedExecutionException when full. */
  <T> CompletableFuture<T> submit(Supplier<T> work) {
    return CompletableFuture.supplyAsync(work, pool);
  }

  /** Resolves a name; call it on the pool. */
  List<InetAddress> lookup(String host) throws UnknownHostException {
    return names.lookup(host);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
