package dev.sbx.controlplane.testing;

import java.io.ByteArrayOutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real WebSocket subscriber of one exec for output too large to keep: it digests each stream's
 * bytes as they come (JSON events or binary frames) and keeps only the other events. It checks as
 * it goes that each chunk starts where the last one ended, so a hole or a repeat shows.
 */
public final class DigestStream implements WebSocket.Listener {

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
  private final StringBuilder text = new StringBuilder();
  private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
  private volatile long lastSeq;
  private volatile long outputEvents;
  private volatile boolean stalled;
  private volatile WebSocket socket;

  private DigestStream(Tally tally, long fromSeq, long stopAfterSeq, boolean stalled) {
    this.tally = tally;
    this.lastSeq = fromSeq - 1;
    this.stopAfterSeq = stopAfterSeq;
    this.stalled = stalled;
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
    var stream = new DigestStream(tally, fromSeq, stopAfterSeq, stalled);
    stream.socket = EventStream.connect(api, pathAndQuery, stream);
    return stream;
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    this.socket = webSocket;
    if (!stalled) {
      webSocket.request(1);
    }
  }

  /** Starts reading, after {@code stalled}. */
  public void resume() {
    stalled = false;
    socket.request(1);
  }

  public void close() {
    socket.abort();
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    text.append(data);
    if (last) {
      var event = JSON.readTree(text.toString());
      text.setLength(0);
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
      } else {
        if (event.has("seq")) {
          lastSeq = event.get("seq").asLong();
        }
        if (event.has("to_seq")) {
          lastSeq = event.get("to_seq").asLong();
        }
        control.add(event);
      }
      stopIfDone(webSocket);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    var chunk = new byte[data.remaining()];
    data.get(chunk);
    binary.writeBytes(chunk);
    if (last) {
      var frame = ByteBuffer.wrap(binary.toByteArray());
      binary.reset();
      if (frame.get() != 1) {
        problems.add("binary frame of an unknown version");
      }
      int stream = frame.get() - 1;
      long seq = frame.getLong();
      long offset = frame.getLong();
      output(seq, stream, offset, frame.array(), HEADER, frame.capacity() - HEADER);
      stopIfDone(webSocket);
    }
    webSocket.request(1);
    return null;
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

  /**
   * Leaves once the last event wanted came. The outcome is settled before the abort: the client may
   * still fail on the bytes that were in flight (seen as "Unexpected rsv1 bit" from another
   * thread), and that must not count as this subscriber's result.
   */
  private void stopIfDone(WebSocket webSocket) {
    if (lastSeq >= stopAfterSeq && closed.complete(-1)) {
      webSocket.abort();
    }
  }

  // onClose, onError and awaitClose as in EventStream: each is its own WebSocket.Listener, and a
  // base class for three small methods would couple two listeners that differ in all else (the
  // duplicates tool reports the pair).
  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.completeExceptionally(error);
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
