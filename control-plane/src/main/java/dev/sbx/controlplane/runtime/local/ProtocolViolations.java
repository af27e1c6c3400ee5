package dev.sbx.controlplane.runtime.local;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Tells whoever listens, with the sandbox's id, that a sandbox broke its channel's protocol. */
final class ProtocolViolations implements Consumer<String> {

  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

  void listen(Consumer<String> listener) {
    listeners.add(listener);
  }

  @Override
  public void accept(String sandboxId) {
    listeners.forEach(listener -> listener.accept(sandboxId));
  }
}
