package dev.sbx.controlplane.egress;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code sandbox_egress_connections_total{decision}} and {@code
 * sandbox_egress_bytes_total{direction}}: every attempt by how it was decided, and the bytes the
 * proxy carried, {@code out} from sandboxes and {@code in} to them.
 */
final class EgressMetrics {

  private final Map<EgressAttempt.Outcome, Counter> connections =
      new EnumMap<>(EgressAttempt.Outcome.class);
  private final Counter bytesOut;
  private final Counter bytesIn;

  EgressMetrics(MeterRegistry registry) {
    for (var outcome : EgressAttempt.Outcome.values()) {
      connections.put(
          outcome,
          Counter.builder("sandbox.egress.connections")
              .description("connection attempts through the egress proxy, by decision")
              .tag("decision", outcome.value())
              .register(registry));
    }
    bytesOut = bytes(registry, "out");
    bytesIn = bytes(registry, "in");
  }

  void attempt(EgressAttempt.Outcome outcome) {
    connections.get(outcome).increment();
  }

  void sent(long bytes) {
    bytesOut.increment(bytes);
  }

  void received(long bytes) {
    bytesIn.increment(bytes);
  }

  private static Counter bytes(MeterRegistry registry, String direction) {
    return Counter.builder("sandbox.egress.bytes")
        .description("bytes through the egress proxy: out from sandboxes, in to them")
        .tag("direction", direction)
        .baseUnit("bytes")
        .register(registry);
  }
}
