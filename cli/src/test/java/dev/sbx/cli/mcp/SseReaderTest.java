package dev.sbx.cli.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseReaderTest {

  private static SseReader reader(String stream, int max) {
    return new SseReader(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)), max);
  }

  @Test
  void nextShouldJoinDataLinesAndSkipCommentsAndOtherEvents() throws IOException {
    var events =
        reader(
            ": keep-alive\n\nid: 1\nevent: message\ndata: {\"a\":\n"
                + "data: 1}\n\nevent: other\ndata: x\n\r\ndata:{\"b\":2}\r\n\r\ndata: cut",
            100);

    assertThat(events.next()).isEqualTo("{\"a\":\n1}");
    assertThat(events.next()).isEqualTo("{\"b\":2}");
    assertThat(events.next()).isNull();
  }

  @Test
  void nextWhenAnEventIsOverTheLimitShouldThrow() {
    var events = reader("data: 12345\ndata: 67890\n\n", 8);

    assertThatThrownBy(events::next).isInstanceOf(MessageTooLargeException.class);
  }
}
