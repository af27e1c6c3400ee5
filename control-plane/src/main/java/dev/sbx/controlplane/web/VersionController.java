package dev.sbx.controlplane.web;

import dev.sbx.controlplane.runtime.SandboxRuntime;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /version}: which control plane this is, for {@code sbx version}. */
@RestController
class VersionController {

  private final Map<String, String> version;

  VersionController(SandboxRuntime runtime, ObjectProvider<BuildProperties> build) {
    var info = build.getIfAvailable();
    this.version =
        Map.of("version", info == null ? "dev" : info.getVersion(), "runtime", runtime.name());
  }

  @GetMapping("/version")
  Map<String, String> version() {
    return version;
  }
}
