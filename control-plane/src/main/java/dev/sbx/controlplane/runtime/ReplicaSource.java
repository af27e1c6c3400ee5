package dev.sbx.controlplane.runtime;

import java.util.Set;

/**
 * The control plane's replicas as the platform lists them: on Kubernetes, the ready endpoints of a
 * headless Service. Which sandbox each replica owns is decided above, from this set alone.
 */
public interface ReplicaSource extends AutoCloseable {

  /** The replicas ready now, each as {@code host:port}. */
  Set<String> ready();

  /** Calls {@code listener} after each change of {@link #ready()}, on some background thread. */
  void onChange(Runnable listener);

  @Override
  void close();
}
