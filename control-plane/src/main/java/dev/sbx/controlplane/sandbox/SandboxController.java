package dev.sbx.controlplane.sandbox;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /sandboxes}: create, list, get and delete sandboxes. */
@RestController
@RequestMapping("/sandboxes")
class SandboxController {

  private final SandboxService sandboxes;

  SandboxController(SandboxService sandboxes) {
    this.sandboxes = sandboxes;
  }

  @PostMapping
  ResponseEntity<SandboxView> create(
      @RequestBody(required = false) @Nullable CreateSandboxRequest body) {
    var info = sandboxes.create(body == null ? CreateSandboxRequest.EMPTY : body);
    var created = SandboxView.of(info, sandboxes.networkOf(info));
    return ResponseEntity.created(URI.create("/sandboxes/" + created.id())).body(created);
  }

  @GetMapping
  Map<String, List<SandboxView>> list() {
    return Map.of(
        "sandboxes",
        sandboxes.list().stream().map(s -> SandboxView.of(s, sandboxes.networkOf(s))).toList());
  }

  @GetMapping("/{id}")
  SandboxView get(@PathVariable String id) {
    var info = sandboxes.get(id);
    return SandboxView.of(info, sandboxes.networkOf(info));
  }

  /** Changes what the sandbox may reach, from its next connection on. */
  @PatchMapping("/{id}")
  NetworkView update(@PathVariable String id, @RequestBody UpdateSandboxRequest body) {
    return NetworkView.of(SandboxIds.normalize(id), sandboxes.updateNetwork(id, body));
  }

  @DeleteMapping("/{id}")
  Map<String, String> delete(@PathVariable String id) {
    sandboxes.delete(id);
    return Map.of("id", SandboxIds.normalize(id), "status", "deleted");
  }
}
