package dev.sbx.controlplane.testing;

import dev.sbx.cli.client.WebSocketClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real WebSocket subscriber of one exec for output too large to keep: it digests each stream's
 * bytes as they come (JSON events or binary frames) and keeps only the other events. It checks as
 * it goes that each chunk starts where the last one ended, so a hole or a repeat shows.
 *
 * <p>It reads through sbx's own client, one blocking thread per subscriber, which checks every
 * frame header it gets (reserved bits, opcodes, order, sizes), so a server that garbled a frame
 * still fails the test. The JDK's client (17.0.15) failed these 200 MB streams in CI more than once
 * with "Unexpected rsv1 bit" and reported the same on sockets it had aborted itself, when the
 * server could not be at fault; 24 rounds of both clients side by side on one stream here read
 * identical bytes, so the JDK client's misreading could not be pinned down further.
 */
public final class DigestStream {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int HEADER = 34;

  /**
   * What came of an exec's two streams, possibly over several connections: digests, byte counts,
   * and where the next byte of each must start.
   */
  public static final class Tally {
    private final MessageDigest[] digests = {newSha256(), newSha256()};
    private final long[] bytes = new long[2];

    /** The SHA-256 (hex) of what came of a stream: 0 stdout, 1 stderr. */
    public String sha256(int stream) {
      try {
        return HexFormat.of().formatHex(((MessageDigest) digests[stream].clone()).digest());
      } catch (CloneNotSupportedException e) {
        throw new IllegalStateException(e);
      }
    }

    public long bytes(int stream) {
      return bytes[stream];
    }
  }

  private final Tally tally;
  private final long stopAfterSeq;
  private final List<JsonNode> control = new CopyOnWriteArrayList<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final CountDownLatch reading = new CountDownLatch(1);
  private final WebSocketClient socket;
  private volatile long lastSeq;
  private volatile long outputEvents;

  private DigestStream(WebSocketClient socket, Tally tally, long fromSeq, long stopAfterSeq) {
    this.socket = socket;
    this.tally = tally;
    this.lastSeq = fromSeq - 1;
    this.stopAfterSeq = stopAfterSeq;
  }

  /** Opens a subscriber from the exec's first event; with {@code stalled} it reads nothing yet. */
  public static DigestStream open(Api api, String pathAndQuery, boolean stalled) {
    return open(api, pathAndQuery, new Tally(), 1, Long.MAX_VALUE, stalled);
  }

  /**
   * Opens a subscriber whose path asks for events from {@code fromSeq}; it adds what comes to the
   * tally and leaves once it has {@code stopAfterSeq}.
   */
  public static DigestStream open(
      Api api, String pathAndQuery, Tally tally, long fromSeq, long stopAfterSeq, boolean stalled) {
    WebSocketClient socket;
    try {
      socket =
          WebSocketClient.connect(
              URI.create(api.base().replace("http://", "ws://") + pathAndQuery),
              api.token() != null ? "Bearer " + api.token() : null,
              "digest-stream");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    var stream = new DigestStream(socket, tally, fromSeq, stopAfterSeq);
    var reader = new Thread(stream::read, "digest-stream");
    reader.setDaemon(true);
    reader.start();
    if (!stalled) {
      stream.resume();
    }
    return stream;
  }

  /** Starts reading, after {@code stalled}. */
  public void resume() {
    reading.countDown();
  }

  public void close() {
    socket.abort();
  }

  private void read() {
    try {
      reading.await();
      for (var message = socket.next(); message != null; message = socket.next()) {
        if (message.binary()) {
          binary(ByteBuffer.wrap(message.payload()));
        } else {
          text(message.text());
        }
        if (lastSeq >= stopAfterSeq && closed.complete(-1)) {
          socket.abort(); // the last event wanted came
          return;
        }
      }
      closed.complete(socket.closeCode());
    } catch (IOException | RuntimeException e) {
      closed.completeExceptionally(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed.completeExceptionally(e);
    }
  }

  private void text(String message) {
    var event = JSON.readTree(message);
    if ("output".equals(event.get("type").asString())) {
      var payload = event.has("data") ? event.get("data").asString() : "";
      var chunk =
          event.has("encoding")
              ? Base64.getDecoder().decode(payload)
              : payload.getBytes(StandardCharsets.UTF_8);
      output(
          event.get("seq").asLong(),
          "stdout".equals(event.get("stream").asString()) ? 0 : 1,
          event.get("offset").asLong(),
          chunk,
          0,
          chunk.length);
      return;
    }
    if (event.has("seq")) {
      lastSeq = event.get("seq").asLong();
    }
    if (event.has("to_seq")) {
      lastSeq = event.get("to_seq").asLong();
    }
    control.add(event);
  }

  private void binary(ByteBuffer frame) {
    if (frame.get() != 1) {
      problems.add("binary frame of an unknown version");
    }
    int stream = frame.get() - 1;
    long seq = frame.getLong();
    long offset = frame.getLong();
    output(seq, stream, offset, frame.array(), HEADER, frame.capacity() - HEADER);
  }

  private void output(long seq, int stream, long offset, byte[] data, int from, int length) {
    if (seq != lastSeq + 1 && problems.size() < 10) {
      problems.add("seq " + seq + " after " + lastSeq);
    }
    if (offset != tally.bytes[stream] && problems.size() < 10) {
      problems.add("offset " + offset + " when " + tally.bytes[stream] + " bytes came");
    }
    lastSeq = seq;
    outputEvents++;
    tally.digests[stream].update(data, from, length);
    tally.bytes[stream] += length;
  }

  /** Waits for the server to close the socket and returns the close code. */
  public int awaitClose(Duration timeout) throws Exception {
    return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public Tally tally() {
    return tally;
  }

  /** The seq of the last event that came. */
  public long lastSeq() {
    return lastSeq;
  }

  public long outputEvents() {
    return outputEvents;
  }

  /** Every event other than output, in order. */
  public List<JsonNode> control() {
    return List.copyOf(control);
  }

  /** Holes and repeats seen in seqs and offsets. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
