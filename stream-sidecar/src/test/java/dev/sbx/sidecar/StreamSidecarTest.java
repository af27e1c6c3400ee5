package dev.sbx.sidecar;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamSidecarTest {

  private static final String EXEC = "9b1c0e8f2a4d6c3e";
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @TempDir Path dir;

  private FakeIngestServer server;

  @AfterEach
  void stopServer() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void execShouldArriveAsStartOutputAndExitWithExitLast() throws Exception {
    server = new FakeIngestServer();
    try (var sidecar = sidecar()) {
      var exec = ExecFiles.create(dir, EXEC).out("hello\n").err("oops\n");
      exec.out("world\n").exit(3);

      server.awaitExit(EXEC);

      var published = server.exec(EXEC);
      assertThat(published.events).first().isEqualTo("start");
      assertThat(published.events).last().isEqualTo("exit");
      assertThat(published.events).containsOnlyOnce("start", "exit");
      assertThat(published.stdout()).asString(UTF_8).isEqualTo("hello\nworld\n");
      assertThat(published.stderr()).asString(UTF_8).isEqualTo("oops\n");
      assertThat(published.exitCode).isEqualTo(3);
      assertThat(server.violations()).isEmpty();
    }
  }

  @Test
  void framesShouldCarryOffsetsAndTheLastAcknowledgedSeq() throws Exception {
    server = new FakeIngestServer();
    try (var sidecar = sidecar()) {
      var exec = ExecFiles.create(dir, EXEC).out("ab");
      awaitState(exec, "seq=2 stdout=2 stderr=0");
      exec.out("cd").exit(0);

      server.awaitExit(EXEC);

      var frames = server.received();
      assertThat(frames.get(0))
          .isEqualTo(Map.of("type", "start", "exec_id", EXEC, "resume_seq", 0L));
      assertThat(frames.get(1))
          .containsEntry("stream", "stdout")
          .containsEntry("offset", 0L)
          .containsEntry("data", "ab");
      assertThat(frames.get(2))
          .containsEntry("offset", 2L)
          .containsEntry("data", "cd")
          .containsEntry("resume_seq", 2L);
      assertThat(frames.get(3))
          .isEqualTo(Map.of("type", "exit", "exec_id", EXEC, "exit_code", 0L, "resume_seq", 3L));
    }
  }

  @Test
  void exitShouldWaitUntilAllOutputIsAcknowledged() throws Exception {
    server = new FakeIngestServer();
    server.answerDelay(Duration.ofMillis(20));
    try (var sidecar = sidecar()) {
      var exec = ExecFiles.create(dir, EXEC).out(text(1_500_000, 1)).err(text(200_000, 2));
      exec.exit(1);

      server.awaitExit(EXEC);

      var published = server.exec(EXEC);
      assertThat(published.ackedEndAtExit)
          .containsExactly(exec.stdout().length, exec.stderr().length);
      assertThat(published.stdout()).isEqualTo(exec.stdout());
      assertThat(published.stderr()).isEqualTo(exec.stderr());
      assertThat(server.maxUnanswered()).isLessThanOrEqualTo(Streamer.WINDOW);
    }
  }

  @Test
  void connectionClosedMidExecShouldLoseAndRepeatNothing() throws Exception {
    server = new FakeIngestServer();
    server.dropConnectionAt(FakeIngestServer.Drop.CLOSE_FRAME, offsetFrom(200_000));
    try (var sidecar = sidecar()) {
      var exec = ExecFiles.create(dir, EXEC).out(text(600_000, 3)).err("e");
      exec.out(bytes(100_000, 4)).exit(0);

      server.awaitExit(EXEC);

      assertThat(server.handshakes()).isEqualTo(2);
      var published = server.exec(EXEC);
      assertThat(published.stdout()).isEqualTo(exec.stdout());
      assertThat(published.stderr()).isEqualTo(exec.stderr());
      assertThat(published.events).containsOnlyOnce("start", "exit");
      assertThat(server.violations()).isEmpty();
    }
  }

  @Test
  void connectionBrokenMidExecShouldLoseNothingAndPublishNothingTwice() throws Exception {
    server = new FakeIngestServer();
    server.dropConnectionAt(FakeIngestServer.Drop.ABRUPT, offsetFrom(200_000));
    try (var sidecar = sidecar()) {
      var exec = ExecFiles.create(dir, EXEC).out(bytes(600_000, 5)).err("e");
      exec.exit(0);

      server.awaitExit(EXEC);

      assertThat(server.handshakes()).isEqualTo(2);
      var published = server.exec(EXEC);
      assertThat(published.stdout()).isEqualTo(exec.stdout());
      assertThat(published.stderr()).isEqualTo(exec.stderr());
      assertThat(published.events).containsOnlyOnce("start", "exit");
      // No strict "never resent after its ack" here: the JDK's WebSocket can lose the last
      // message before an abrupt end of stream, and then the control plane's dedupe by offset
      // is what keeps it from being published twice.
      assertThat(server.violations()).allMatch(violation -> violation.contains("sent again"));
    }
  }

  @Test
  void restartedSidecarShouldResumeFromItsSavedState() throws Exception {
    server = new FakeIngestServer();
    server.holdAnswersFrom(frame -> Long.valueOf(2 * Frames.MAX_CHUNK).equals(frame.get("offset")));
    var exec = ExecFiles.create(dir, EXEC).out(bytes(5 * Frames.MAX_CHUNK, 5));
    try (var first = sidecar()) {
      awaitState(exec, "seq=3 stdout=131072 stderr=0");
    }
    // The held acknowledgements are released once the first sidecar is gone, so they reach
    // nobody: had one been written to its socket before the server saw it close, the fake would
    // count it as seen, and the second sidecar's resend as a repeat.
    server.awaitUntil(
        "the first sidecar's connection to end",
        s -> s.openConnections() == 0,
        Duration.ofSeconds(5));
    int sentByFirst = server.received().size();
    server.releaseAnswers();

    exec.out("tail\n").exit(0);
    try (var second = sidecar()) {
      server.awaitExit(EXEC);
    }

    var published = server.exec(EXEC);
    assertThat(published.stdout()).isEqualTo(exec.stdout());
    assertThat(published.events).containsOnlyOnce("start", "exit");
    assertThat(server.violations()).isEmpty();
    var sentBySecond = server.received().subList(sentByFirst, server.received().size());
    assertThat(sentBySecond.get(0))
        .as("a new connection announces the exec first, with its last acknowledged seq")
        .containsEntry("type", "start")
        .containsEntry("resume_seq", 3L);
    assertThat(sentBySecond.stream().filter(f -> "output".equals(f.get("type"))).findFirst())
        .as("the second sidecar sends output from where the first was acknowledged")
        .hasValueSatisfying(
            frame ->
                assertThat(frame).containsEntry("offset", 131072L).containsEntry("resume_seq", 3L));
  }

  @Test
  void restartedControlPlaneShouldGetTheRestWithTheLastSeq() throws Exception {
    server = new FakeIngestServer();
    try (var sidecar = sidecar()) {
      var exec = ExecFiles.create(dir, EXEC).out(text(100_000, 6));
      int length = exec.stdout().length;
      awaitState(exec, "seq=3 stdout=" + length + " stderr=0");
      var before = server.exec(EXEC);
      server.stop();

      exec.out(text(100_000, 7)).err("late\n").exit(4);
      server.awaitUntil("a connection turned away", s -> s.turnedAway() >= 2, TIMEOUT);
      server.start();
      server.awaitExit(EXEC);

      var after = server.exec(EXEC);
      assertThat(after.events).doesNotContain("start");
      assertThat(after.firstResumeSeq).isEqualTo(before.seq);
      assertThat(after.firstOffset[0]).isEqualTo(length);
      assertThat(concat(before.stdout(), after.stdout())).isEqualTo(exec.stdout());
      assertThat(after.stderr()).asString(UTF_8).isEqualTo("late\n");
      assertThat(server.violations()).isEmpty();
    }
  }

  @Test
  void characterCutBetweenWritesShouldArriveWhole() throws Exception {
    server = new FakeIngestServer();
    byte[] euro = "€".getBytes(UTF_8);
    try (var sidecar = sidecar()) {
      var exec = ExecFiles.create(dir, EXEC).out(concat("ab".getBytes(UTF_8), slice(euro, 0, 2)));
      awaitReceived(frame -> "ab".equals(frame.get("data")));
      exec.out(concat(slice(euro, 2, 3), "c\n".getBytes(UTF_8))).exit(0);

      server.awaitExit(EXEC);

      assertThat(outputFrames())
          .allSatisfy(frame -> assertThat(frame).doesNotContainKey("encoding"))
          .extracting(frame -> frame.get("data"))
          .containsExactly("ab", "€c\n");
      assertThat(server.exec(EXEC).stdout()).isEqualTo(exec.stdout());
    }
  }

  @Test
  void cutCharacterAtTheEndOfAFinishedExecShouldGoAsBase64() throws Exception {
    server = new FakeIngestServer();
    try (var sidecar = sidecar()) {
      var exec =
          ExecFiles.create(dir, EXEC)
              .out(concat("ok".getBytes(UTF_8), new byte[] {(byte) 0xe2, (byte) 0x82}));
      exec.exit(0);

      server.awaitExit(EXEC);

      assertThat(outputFrames())
          .extracting(frame -> frame.get("data"), frame -> frame.get("encoding"))
          .containsExactly(tuple("ok", null), tuple("4oI=", "base64"));
      assertThat(server.exec(EXEC).stdout()).isEqualTo(exec.stdout());
    }
  }

  @Test
  void bytesThatAreNotUtf8ShouldGoAsBase64AndRoundTrip() throws Exception {
    server = new FakeIngestServer();
    byte[] binary = {(byte) 0xff, (byte) 0xfe, 0, (byte) 0x80, 'a', (byte) 0xc3, 0x28};
    try (var sidecar = sidecar()) {
      var exec = ExecFiles.create(dir, EXEC).out(binary).err(bytes(300_000, 8));
      exec.exit(0);

      server.awaitExit(EXEC);

      assertThat(outputFrames())
          .allSatisfy(frame -> assertThat(frame).containsEntry("encoding", "base64"));
      assertThat(server.exec(EXEC).stdout()).isEqualTo(binary);
      assertThat(server.exec(EXEC).stderr()).isEqualTo(exec.stderr());
    }
  }

  @Test
  void textThatEscapingWouldBlowUpShouldStayUnderTheFrameLimit() throws Exception {
    server = new FakeIngestServer();
    try (var sidecar = sidecar()) {
      var exec =
          ExecFiles.create(dir, EXEC).out(new byte[3 * Frames.MAX_CHUNK]).out("\"quoted\"\n");
      exec.exit(0);

      server.awaitExit(EXEC);

      assertThat(server.exec(EXEC).stdout()).isEqualTo(exec.stdout());
      assertThat(server.maxFrameBytes()).isLessThan(256 * 1024);
    }
  }

  @Test
  void filesShouldBeDeletedOnlyOnceTheExitIsAcknowledged() throws Exception {
    server = new FakeIngestServer();
    server.holdAnswersFrom(frame -> "exit".equals(frame.get("type")));
    Files.writeString(dir.resolve("notes.txt"), "not an exec");
    try (var sidecar = sidecar()) {
      var exec = ExecFiles.create(dir, EXEC).out("x");
      exec.exit(0);
      server.awaitExit(EXEC);
      assertThat(exec.file(".stdout")).exists();
      assertThat(exec.file(".state")).exists();

      server.releaseAnswers();

      await().atMost(TIMEOUT).until(() -> !Files.exists(exec.file(".exit")));
      try (var left = Files.list(dir)) {
        assertThat(left).map(path -> path.getFileName().toString()).containsExactly("notes.txt");
      }
    }
  }

  @Test
  void refusedFrameShouldBeSkippedAndTheExecFinished() throws Exception {
    server = new FakeIngestServer();
    server.refuse(frame -> Long.valueOf(0).equals(frame.get("offset")));
    try (var sidecar = sidecar()) {
      var exec = ExecFiles.create(dir, EXEC).out("refused");
      awaitReceived(frame -> "refused".equals(frame.get("data")));
      exec.out(" accepted").exit(0);

      server.awaitExit(EXEC);

      assertThat(server.exec(EXEC).stdout()).asString(UTF_8).isEqualTo(" accepted");
      await().atMost(TIMEOUT).until(() -> !Files.exists(exec.file(".stdout")));
    }
  }

  @Test
  void wrongTokenShouldBeRefusedAndRetried() throws Exception {
    server = new FakeIngestServer();
    var config =
        new Config(Config.ingestUri(server.endpoint(), FakeIngestServer.SANDBOX), "wrong", dir);
    try (var sidecar = new StreamSidecar(config).start()) {
      server.awaitUntil("three refused handshakes", s -> s.refusedHandshakes() >= 3, TIMEOUT);
    }
    assertThat(server.handshakes()).isZero();
  }

  @Test
  void manyExecsShouldEachArriveWholeAndInTheirOwnOrder() throws Exception {
    server = new FakeIngestServer();
    try (var sidecar = sidecar()) {
      var execs =
          List.of(
              ExecFiles.create(dir, "0000000000000001"),
              ExecFiles.create(dir, "0000000000000002"),
              ExecFiles.create(dir, "0000000000000003"));
      for (int round = 0; round < 20; round++) {
        for (var exec : execs) {
          exec.out(text(10_000, round)).err(bytes(3_000, round));
        }
      }
      for (var exec : execs) {
        exec.exit(0);
      }

      for (var exec : execs) {
        server.awaitExit(exec.id);
        assertThat(server.exec(exec.id).stdout()).isEqualTo(exec.stdout());
        assertThat(server.exec(exec.id).stderr()).isEqualTo(exec.stderr());
        assertThat(server.exec(exec.id).events).last().isEqualTo("exit");
      }
      assertThat(server.violations()).isEmpty();
    }
  }

  private static Predicate<Map<String, Object>> offsetFrom(long offset) {
    return frame -> frame.get("offset") instanceof Long at && at >= offset;
  }

  private StreamSidecar sidecar() {
    var uri = Config.ingestUri(server.endpoint(), FakeIngestServer.SANDBOX);
    return new StreamSidecar(new Config(uri, FakeIngestServer.TOKEN, dir)).start();
  }

  private static void awaitState(ExecFiles exec, String state) {
    await()
        .atMost(TIMEOUT)
        .ignoreException(NoSuchFileException.class)
        .untilAsserted(
            () -> assertThat(Files.readString(exec.file(".state"))).isEqualTo(state + "\n"));
  }

  private void awaitReceived(Predicate<Map<String, Object>> frame) throws InterruptedException {
    server.awaitUntil("a frame", s -> s.received().stream().anyMatch(frame), TIMEOUT);
  }

  private List<Map<String, Object>> outputFrames() {
    return server.received().stream().filter(frame -> "output".equals(frame.get("type"))).toList();
  }

  /** Lines of text with multi-byte characters, so chunks end inside them. */
  private static byte[] text(int length, int seed) {
    var text = new StringBuilder();
    var random = new Random(seed);
    while (text.length() < length) {
      text.append("line ").append(random.nextInt()).append(" ünïcødé ✓ \uD83D\uDE00\t\"q\"\n");
    }
    return text.toString().getBytes(UTF_8);
  }

  private static byte[] bytes(int length, int seed) {
    var bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    var all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static byte[] slice(byte[] bytes, int from, int to) {
    return Arrays.copyOfRange(bytes, from, to);
  }
}
