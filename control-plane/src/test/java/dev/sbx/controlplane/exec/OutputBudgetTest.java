package dev.sbx.controlplane.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.controlplane.testing.Api;
import dev.sbx.controlplane.testing.EventStream;
import dev.sbx.controlplane.testing.RequiresBubblewrap;
import dev.sbx.controlplane.testing.StateDirs;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Past the sandbox's output budget the oldest finished exec's output goes, and says so once. */
@RequiresBubblewrap
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OutputBudgetTest {

  private static final Path STATE_DIR = StateDirs.create("budget");
  private static final int PRINTED = 700_000;

  @LocalServerPort int port;

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    registry.add("SANDBOX_STATE_DIR", STATE_DIR::toString);
    registry.add("SANDBOX_STREAM_BUFFER", () -> "3");
    registry.add("SANDBOX_STREAM_STORE_BYTES", () -> "1MiB");
  }

  @Test
  void goingPastTheBudgetShouldDropTheOldestFinishedExecWithOneGapSayingHowManyBytes()
      throws Exception {
    var api = new Api(port);
    var id = api.createSandbox();
    var first = api.bash(id, "head -c " + PRINTED + " /dev/zero | tr '\\0' a").text("exec_id");
    var second = api.bash(id, "head -c " + PRINTED + " /dev/zero | tr '\\0' b").text("exec_id");

    var dropped = EventStream.open(api, "/sandboxes/" + id + "/stream?exec_id=" + first);
    assertThat(dropped.awaitClose(Duration.ofSeconds(10))).isEqualTo(1000);
    var events = dropped.events();
    assertThat(events)
        .extracting(EventStream.Received::type)
        .containsExactly("start", "gap", "exit");
    assertThat(events.get(1).event().get("dropped_bytes").asLong()).isEqualTo(PRINTED);
    assertThat(events.get(1).event().get("from_seq").asLong()).isEqualTo(2);
    assertThat(events.get(1).event().get("to_seq").asLong())
        .isEqualTo(events.get(2).event().get("seq").asLong() - 1);

    var kept = EventStream.open(api, "/sandboxes/" + id + "/stream?exec_id=" + second);
    assertThat(kept.awaitClose(Duration.ofSeconds(10))).isEqualTo(1000);
    assertThat(kept.events()).noneMatch(e -> e.type().equals("gap"));
    assertThat(kept.output(second, "stdout")).hasSize(PRINTED).containsOnly((byte) 'b');

    var gone = api.get("/sandboxes/" + id + "/execs/" + first + "/output?follow=false");
    assertThat(gone.status()).isEqualTo(410);
    assertThat(gone.problemType()).isEqualTo("urn:sbx:problem:output-dropped");
    api.delete("/sandboxes/" + id);
  }
}
