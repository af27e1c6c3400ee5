package dev.sbx.controlplane.metrics;

import dev.sbx.controlplane.runtime.SandboxRuntime;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The figures read from the runtime when metrics are scraped: the warm pool, sandboxes by phase.
 */
@Component
class SandboxGauges implements MeterBinder {

  private static final List<String> PHASES =
      List.of("Pending", "Running", "Stopped", "Failed", "Succeeded");

  private final SandboxRuntime runtime;

  SandboxGauges(SandboxRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("warm.pool.desired", () -> runtime.pool().desired())
        .description("warm sandboxes the pool aims for")
        .register(registry);
    Gauge.builder("warm.pool.ready", () -> runtime.pool().ready())
        .description("warm sandboxes ready to be claimed")
        .register(registry);
    FunctionCounter.builder("warm.pool.retired.not.ready", runtime, r -> r.pool().retiredNotReady())
        .description(
            "warm sandboxes retired because they were not Ready within"
                + " SANDBOX_CREATE_READY_TIMEOUT (image pull errors, unschedulable pods)")
        .register(registry);
    for (var phase : PHASES) {
      Gauge.builder(
              "sandboxes",
              () -> runtime.list().stream().filter(s -> phase.equals(s.phase())).count())
          .description("sandboxes by phase")
          .tag("phase", phase)
          .register(registry);
    }
  }
}
