package dev.sbx.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sbx.cli.client.ControlPlaneClient;
import dev.sbx.cli.output.Printer;
import dev.sbx.cli.testing.FakeControlPlane;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ExecStreamTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final FakeClock clock = new FakeClock();

  private ExecStream stream(String url) {
    var client = new ControlPlaneClient(url, null);
    var printer = new Printer(new PrintStream(out, true, StandardCharsets.UTF_8));
    var events = new ExecEvents("e1", printer, printer, false);
    return new ExecStream(client, "demo", "e1", events, new Backoff(clock));
  }

  @Test
  void followWhenEveryReconnectionIsDroppedShouldGiveUpAfter30Seconds() throws Exception {
    var connections = new AtomicInteger();
    try (var plane = FakeControlPlane.start()) {
      plane.stream(
          ws -> {
            if (connections.incrementAndGet() == 1) {
              ws.sendText(
                  "{\"exec_id\":\"e1\",\"seq\":1,\"type\":\"output\",\"stream\":\"stdout\","
                      + "\"data\":\"partial\\n\"}");
            }
            ws.drop();
          });

      assertThatThrownBy(stream(plane.url())::follow)
          .isInstanceOf(ExecFailedException.class)
          .hasMessage("stream closed before the command finished");
      assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("partial\n");
      assertThat(clock.sleeps.stream().mapToLong(Long::longValue).sum())
          .isBetween(30_000L, 32_000L);
      assertThat(connections.get()).isEqualTo(clock.sleeps.size() + 1);
    }
  }

  @Test
  void followWhenTheControlPlaneStaysUnreachableShouldGiveUpWithTheReason() throws Exception {
    String url;
    try (var plane = FakeControlPlane.start()) {
      url = plane.url();
    }

    assertThatThrownBy(stream(url)::follow)
        .isInstanceOf(ExecFailedException.class)
        .hasMessageStartingWith(
            "stream closed before the command finished: cannot reach the control plane at " + url);
  }
}
