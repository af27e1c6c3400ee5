package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.runtime.EgressPolicy;
import dev.sbx.controlplane.runtime.SandboxNotFoundException;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A sandbox's egress policy, kept in its namespace's annotations. A policy this replica just wrote
 * wins over the namespace cache until the cache shows it (for at most 30 s): a PATCH applies to the
 * next connection, not to the one after the watch catches up.
 */
final class EgressPolicies {

  private final KubernetesClient client;
  private final SandboxLookup lookup;
  private final EgressPolicy defaults;
  private final Map<String, Written> written = new ConcurrentHashMap<>();

  EgressPolicies(KubernetesClient client, SandboxLookup lookup, EgressPolicy defaults) {
    this.client = client;
    this.lookup = lookup;
    this.defaults = defaults;
  }

  Optional<EgressPolicy> of(String id) {
    return lookup.namespace(id).map(this::of);
  }

  EgressPolicy update(String id, EgressPolicy policy) {
    if (lookup.namespace(id).isEmpty()) {
      throw new SandboxNotFoundException(id);
    }
    write(id, policy);
    return policy;
  }

  /**
   * A claimed warm sandbox was made with the configured policy; one asked for another gets it now,
   * before the create returns, so no command of its user runs under the wrong one. If that write
   * fails, the sandbox goes rather than run with a policy nobody asked for.
   */
  void claimed(String id, EgressPolicy policy, Consumer<String> delete) {
    if (policy.equals(defaults)) {
      return;
    }
    try {
      write(id, policy);
    } catch (RuntimeException e) {
      delete.accept(id);
      throw e;
    }
  }

  private EgressPolicy of(Namespace namespace) {
    var id = namespace.getMetadata().getName();
    var annotations = namespace.getMetadata().getAnnotations();
    var cached = EgressObjects.policy(annotations == null ? Map.of() : annotations);
    var mine = written.get(id);
    if (mine != null) {
      if (mine.policy().equals(cached) || mine.at().plusSeconds(30).isBefore(Instant.now())) {
        written.remove(id, mine);
      } else {
        return mine.policy();
      }
    }
    return cached;
  }

  private void write(String id, EgressPolicy policy) {
    try {
      client
          .namespaces()
          .withName(id)
          .edit(
              namespace ->
                  new NamespaceBuilder(namespace)
                      .editMetadata()
                      .addToAnnotations(EgressObjects.annotations(policy))
                      .endMetadata()
                      .build());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        throw new SandboxNotFoundException(id);
      }
      throw KubernetesErrors.translate(e, "change the network policy of sandbox " + id);
    }
    written.put(id, new Written(policy, Instant.now()));
  }

  void forget(String id) {
    written.remove(id);
  }

  /** A policy this replica wrote, and when. */
  private record Written(EgressPolicy policy, Instant at) {}
}
