package dev.sbx.controlplane.runtime;

/**
 * Makes the ids of sandboxes a runtime starts on its own, before any create asks (the warm pool's).
 * The sandbox feature owns their form and provides the bean, so a runtime never imports it.
 */
@FunctionalInterface
public interface SandboxIdSource {

  /** A new, unused sandbox id. */
  String newId();
}
