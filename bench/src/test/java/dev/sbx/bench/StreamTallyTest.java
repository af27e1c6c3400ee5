package dev.sbx.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StreamTallyTest {

  private static void feed(StreamTally tally, String json) {
    var bytes = ("xx" + json + "yy").getBytes(StandardCharsets.UTF_8);
    tally.accept(bytes, 2, bytes.length - 4);
  }

  private static String event(long seq, String type, String rest) {
    return "{\"sandbox_id\":\"sbx-a\",\"exec_id\":\"e1\",\"seq\":"
        + seq
        + ",\"type\":\""
        + type
        + "\""
        + rest
        + ",\"time\":\"2026-11-26T21:50:03Z\"}";
  }

  @Test
  void outputShouldCountDecodedBytesWithEscapesUndone() {
    var tally = new StreamTally();
    feed(tally, event(1, "start", ""));
    feed(
        tally,
        event(2, "output", ",\"stream\":\"stdout\",\"data\":\"ab\\n\\\"c\\u00e9\\ud83d\\ude00\""));
    feed(tally, event(3, "exit", ",\"exit_code\":0,\"status\":\"completed\""));

    assertThat(tally.outputBytes()).isEqualTo(2 + 1 + 1 + 1 + 2 + 4);
    assertThat(tally.events()).isEqualTo(3);
    assertThat(tally.holes()).isZero();
    assertThat(tally.exitCode()).isZero();
    assertThat(tally.status()).isEqualTo("completed");
  }

  @Test
  void base64OutputShouldCountTheDecodedBytes() {
    var tally = new StreamTally();
    feed(
        tally,
        event(1, "output", ",\"stream\":\"stdout\",\"data\":\"/w==\",\"encoding\":\"base64\""));
    feed(
        tally,
        event(2, "output", ",\"stream\":\"stdout\",\"data\":\"AAEC\",\"encoding\":\"base64\""));

    assertThat(tally.outputBytes()).isEqualTo(4);
  }

  @Test
  void aMissingSeqAndAGapShouldBeCounted() {
    var tally = new StreamTally();
    feed(
        tally,
        "{\"sandbox_id\":\"sbx-a\",\"exec_id\":\"e1\",\"type\":\"gap\",\"from_seq\":1,\"to_seq\":4}");
    feed(tally, event(5, "output", ",\"stream\":\"stdout\",\"data\":\"x\""));
    feed(tally, event(7, "exit", ",\"exit_code\":-1,\"status\":\"lost\""));

    assertThat(tally.gaps()).isEqualTo(1);
    assertThat(tally.holes()).isEqualTo(2);
    assertThat(tally.exitCode()).isEqualTo(-1);
  }
}
