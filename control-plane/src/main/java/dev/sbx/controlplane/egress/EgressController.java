package dev.sbx.controlplane.egress;

import dev.sbx.controlplane.sandbox.SandboxService;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /sandboxes/{id}/egress}: the sandbox's last connection attempts. */
@RestController
class EgressController {

  private final SandboxService sandboxes;
  private final EgressProxy proxy;

  EgressController(SandboxService sandboxes, EgressProxy proxy) {
    this.sandboxes = sandboxes;
    this.proxy = proxy;
  }

  /**
   * The audit of one sandbox.
   *
   * @param sandboxId the sandbox's id
   * @param network its mode now, when its runtime enforces one
   * @param openConnections its connections open now
   * @param attempts its last attempts (up to 1000), oldest first
   */
  @com.fasterxml.jackson.annotation.JsonInclude(
      com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  record EgressView(
      String sandboxId,
      @Nullable String network,
      int openConnections,
      List<EgressAttemptView> attempts) {}

  @GetMapping("/sandboxes/{id}/egress")
  EgressView egress(@PathVariable String id) {
    var policy = sandboxes.network(id);
    var sandboxId = sandboxes.existingId(id);
    return new EgressView(
        sandboxId,
        policy.mode().value(),
        proxy.openConnections(sandboxId),
        proxy.attempts(sandboxId));
  }
}
