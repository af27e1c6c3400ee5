package dev.sbx.controlplane.web;

import dev.sbx.controlplane.runtime.SandboxRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Logs where the control plane listens, the line a user waits for after {@code make run}. */
@Component
class ListeningLog {

  private static final Logger logger = LoggerFactory.getLogger(ListeningLog.class);

  private final SandboxRuntime runtime;
  private final String address;

  ListeningLog(SandboxRuntime runtime, @Value("${server.address:0.0.0.0}") String address) {
    this.runtime = runtime;
    this.address = address;
  }

  @EventListener
  void listening(WebServerInitializedEvent event) {
    logger.info(
        "control-plane listening on http://{}:{} ({} runtime)",
        address,
        event.getWebServer().getPort(),
        runtime.name());
  }
}
