package dev.sbx.cli.command;

import dev.sbx.cli.client.ControlPlaneClient;
import dev.sbx.cli.output.Elapsed;
import dev.sbx.cli.output.Json;
import java.time.Duration;
import java.util.Map;

/** Polls a new sandbox until it is ready, for {@code sbx create -wait}. */
final class SandboxWait {

  // Quick enough that a person sees no lag after the pod turns ready; four light GETs a second.
  private static final long POLL_MILLIS = 250;

  private final ControlPlaneClient client;
  private final ProgressLine progress;
  private final WaitClock clock;

  SandboxWait(ControlPlaneClient client, ProgressLine progress, WaitClock clock) {
    this.client = client;
    this.progress = progress;
    this.clock = clock;
  }

  /**
   * Returns the sandbox's JSON once it says {@code ready}; throws when it failed or the time is up.
   *
   * @param created the sandbox as create returned it
   */
  String untilReady(String created, Duration timeout) throws InterruptedException {
    long start = clock.millis();
    String json = created;
    try {
      while (true) {
        Map<String, Object> sandbox = Json.object(json);
        if (Boolean.TRUE.equals(sandbox.get("ready"))) {
          return json;
        }
        String id = Json.text(sandbox.get("id"));
        String phase = Json.text(sandbox.get("phase"));
        String reason = Json.text(sandbox.get("reason"));
        if (phase.equals("Failed")) {
          throw SandboxNotReadyException.failed(id, reason);
        }
        String state = state(phase, reason);
        long waited = clock.millis() - start;
        if (waited >= timeout.toMillis()) {
          throw SandboxNotReadyException.timedOut(id, timeout, state);
        }
        progress.show(
            "waiting for " + id + " (" + state + ") " + Elapsed.of(Duration.ofMillis(waited)));
        clock.sleep(Math.min(POLL_MILLIS, timeout.toMillis() - waited));
        json = client.getSandbox(id);
      }
    } finally {
      progress.clear();
    }
  }

  private static String state(String phase, String reason) {
    String shown = phase.isEmpty() ? "not ready" : phase;
    return reason.isEmpty() ? shown : shown + ": " + reason;
  }
}
