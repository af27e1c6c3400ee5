package dev.sbx.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sbx.controlplane.testing.Api;
import dev.sbx.controlplane.testing.Cli;
import dev.sbx.controlplane.testing.DigestStream;
import dev.sbx.controlplane.testing.LocalControlPlaneTest;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An exec's whole output can be had again while it is retained, byte for byte: by subscribers that
 * come late or in the middle, in JSON or binary frames, resumed at any seq or offset, and over
 * plain HTTP; a subscriber that stalls holds no output in the heap and still gets every byte.
 */
class StreamReplayE2ETest extends LocalControlPlaneTest {

  private static final Duration LONG = Duration.ofMinutes(3);
  private final HttpClient http = HttpClient.newHttpClient();

  /** What a command printed, as the sandbox itself counts it. */
  private record Expected(String sha256, long bytes) {}

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"base64 /workspace/r", "cat /workspace/r"})
  void subscribersThatComeInTheMiddleOrAfterTheEndShouldGetEveryByteInEveryFraming(String command)
      throws Exception {
    var id = api.createSandbox();
    // 150 MB of random bytes: 200 MB as base64 text, or raw (JSON then carries it as base64).
    var expected = prepare(id, 150_000_000, command);
    var execId = startAsync(id, command);
    await().atMost(LONG).until(() -> outputBytes(id, execId) > 0);
    var middle = DigestStream.open(api, streamPath(id, execId, "json"), false);
    var middleBinary = DigestStream.open(api, streamPath(id, execId, "binary"), false);
    awaitEnd(id, execId);
    assertEveryByte(middle, expected);
    assertEveryByte(middleBinary, expected);

    // The scenario itself: a client that subscribes well after the exec ended.
    Thread.sleep(3_000);
    assertEveryByte(DigestStream.open(api, streamPath(id, execId, "json"), false), expected);
    assertEveryByte(DigestStream.open(api, streamPath(id, execId, "binary"), false), expected);
    assertThat(digest(output(id, execId, "&follow=false"))).isEqualTo(expected);
  }

  @Test
  void outputFollowedFromTheStartShouldBeTheExactBytesAndEndWithTheExec() throws Exception {
    var id = api.createSandbox();
    var expected = prepare(id, 50_000_000, "cat /workspace/r; sleep 1; cat /workspace/r");
    var execId = startAsync(id, "cat /workspace/r; sleep 1; cat /workspace/r");
    var followed = output(id, execId, "");
    assertThat(digest(followed)).isEqualTo(expected);
    assertThat(api.get("/sandboxes/" + id + "/execs/" + execId).text("status"))
        .as("the body ended with the exec")
        .isEqualTo("completed");
  }

  @Test
  void sbxLogsShouldWriteTheExactBytesOfEitherStreamAndFollowTheExecToItsEnd() throws Exception {
    var id = api.createSandbox();
    var expected = prepare(id, 5_000_000, "cat /workspace/r");
    var execId = startAsync(id, "sleep 1; cat /workspace/r; echo done >&2");
    var cli = new Cli(api);

    var followed = cli.run("logs", "-id", id, "-exec-id", execId, "-f");
    assertThat(followed.exitCode()).as(followed.err()).isZero();
    assertThat(digest(new ByteArrayInputStream(followed.outBytes()))).isEqualTo(expected);
    var errors = cli.run("logs", "-id", id, "-exec-id", execId, "-stderr");
    assertThat(errors.exitCode()).isZero();
    assertThat(errors.err()).isEqualTo("done\n");

    var unknown = cli.run("logs", "-id", id, "-exec-id", "0123456789abcdef");
    assertThat(unknown.exitCode()).isEqualTo(3);
    assertThat(unknown.err()).startsWith("error: ").hasLineCount(1);
  }

  @Test
  void resumingAtFiftyPointsShouldGiveTheExactConcatenation() throws Exception {
    var id = api.createSandbox();
    var command = "cat /workspace/r";
    var expected = prepare(id, 30_000_000, command);
    var execId = startAsync(id, command);
    var whole = DigestStream.open(api, streamPath(id, execId, "json"), false);
    whole.awaitClose(LONG);
    long exitSeq = whole.lastSeq();

    // By seq, alternating JSON and binary frames: 50 connections, each from where the last left.
    var tally = new DigestStream.Tally();
    var problems = new ArrayList<String>();
    for (int i = 0; i < 50; i++) {
      long from = 1 + (exitSeq * i) / 50;
      long to = (exitSeq * (i + 1)) / 50;
      var piece =
          DigestStream.open(
              api,
              streamPath(id, execId, i % 2 == 0 ? "json" : "binary") + "&from_seq=" + from,
              tally,
              from,
              to,
              false);
      piece.awaitClose(LONG);
      problems.addAll(piece.problems());
      assertThat(piece.lastSeq()).isGreaterThanOrEqualTo(to);
    }
    assertThat(problems).isEmpty();
    assertThat(new Expected(tally.sha256(0), tally.bytes(0))).isEqualTo(expected);

    // By byte offset over HTTP: 50 requests, each read up to the next point.
    var sha = MessageDigest.getInstance("SHA-256");
    for (int i = 0; i < 50; i++) {
      long from = (expected.bytes() * i) / 50;
      long to = (expected.bytes() * (i + 1)) / 50;
      try (var body = output(id, execId, "&follow=false&offset=" + from)) {
        sha.update(body.readNBytes((int) (to - from)));
      }
    }
    assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(expected.sha256());
  }

  @Test
  void aStalledSubscriberShouldHoldNoOutputInTheHeapAndThenGetEveryByte() throws Exception {
    var id = api.createSandbox();
    long size = 500_000_000;
    var line = "abcdefghijklmnopqrstuvwxyz0123456789\n";
    var command = "yes abcdefghijklmnopqrstuvwxyz0123456789 | head -c " + size;
    var execId = startAsync(id, "sleep 1; " + command);
    var stalled = DigestStream.open(api, streamPath(id, execId, "json"), true);
    long heapBefore = heapAfterGc();
    long started = System.nanoTime();
    awaitEnd(id, execId);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .as("the exec is not slowed by a subscriber that reads nothing")
        .isLessThan(LONG);
    // Stalled for 10 s in all, the exec's 500 MB flowed meanwhile.
    Thread.sleep(Math.max(0, 10_000 - Duration.ofNanos(System.nanoTime() - started).toMillis()));
    long grown = heapAfterGc() - heapBefore;
    assertThat(grown).as("heap growth in bytes").isLessThan(64L << 20);

    stalled.resume();
    stalled.awaitClose(LONG);
    var sha = MessageDigest.getInstance("SHA-256");
    var bytes = line.getBytes();
    long left = size;
    while (left > 0) {
      int n = (int) Math.min(bytes.length, left);
      sha.update(bytes, 0, n);
      left -= n;
    }
    assertThat(stalled.problems()).isEmpty();
    assertThat(stalled.control()).noneMatch(e -> e.get("type").asString().equals("gap"));
    assertThat(new Expected(stalled.tally().sha256(0), stalled.tally().bytes(0)))
        .isEqualTo(new Expected(HexFormat.of().formatHex(sha.digest()), size));
  }

  /** Writes {@code size} random bytes to /workspace/r and returns what the command prints. */
  private Expected prepare(String id, long size, String command) {
    var result =
        api.bash(
            id,
            "head -c "
                + size
                + " /dev/urandom > /workspace/r && ("
                + command
                + ") | sha256sum && ("
                + command
                + ") | wc -c");
    assertThat(result.json().get("exit_code").asInt()).as(result.body()).isZero();
    var lines = result.text("stdout").split("\n");
    return new Expected(lines[0].split(" ")[0], Long.parseLong(lines[1].trim()));
  }

  private String startAsync(String id, String command) {
    var started =
        api.post(
            "/sandboxes/" + id + "/exec",
            Api.json(Map.of("command", List.of("bash", "-c", command), "async", true)));
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    return started.text("exec_id");
  }

  private void awaitEnd(String id, String execId) {
    await()
        .atMost(LONG)
        .until(
            () ->
                !"running".equals(api.get("/sandboxes/" + id + "/execs/" + execId).text("status")));
  }

  private long outputBytes(String id, String execId) throws Exception {
    try (var body = output(id, execId, "&follow=false")) {
      return body.readNBytes(1).length;
    }
  }

  private static String streamPath(String id, String execId, String format) {
    return "/sandboxes/" + id + "/stream?exec_id=" + execId + "&format=" + format;
  }

  private InputStream output(String id, String execId, String query) throws Exception {
    var response =
        http.send(
            api.request("/sandboxes/" + id + "/execs/" + execId + "/output?stream=stdout" + query)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private static Expected digest(InputStream body) throws Exception {
    try (body) {
      var sha = MessageDigest.getInstance("SHA-256");
      var buffer = new byte[1 << 16];
      long total = 0;
      for (int n; (n = body.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
        total += n;
      }
      return new Expected(HexFormat.of().formatHex(sha.digest()), total);
    }
  }

  private static void assertEveryByte(DigestStream stream, Expected expected) throws Exception {
    assertThat(stream.awaitClose(LONG)).isEqualTo(1000);
    assertThat(stream.problems()).isEmpty();
    assertThat(stream.control())
        .extracting(e -> e.get("type").asString())
        .containsExactly("start", "exit");
    assertThat(new Expected(stream.tally().sha256(0), stream.tally().bytes(0))).isEqualTo(expected);
  }

  private static long heapAfterGc() {
    var memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
