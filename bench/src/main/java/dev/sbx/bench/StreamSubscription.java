package dev.sbx.bench;

import dev.sbx.cli.client.WebSocketClient;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;

/**
 * A subscriber of {@code /sandboxes/{id}/stream} through the CLI's WebSocket client, so that the
 * stream figures are what {@code sbx logs} gets: each text message goes to a {@link StreamTally}.
 *
 * <p>Measured against the driver's former client of its own (a frame loop into one reused buffer),
 * alternating on one control plane, 1 GB each: 122.0 and 118.7 MB/s here against 126.5 and 131.2
 * (0.93). The CLI's client allocates each frame; on two cores its reading competes with the server
 * it measures. A few percent is worth one WebSocket client to keep, not two.
 */
final class StreamSubscription implements Closeable {

  private final WebSocketClient client;

  private StreamSubscription(WebSocketClient client) {
    this.client = client;
  }

  static StreamSubscription open(URI base, String pathAndQuery) throws IOException {
    var uri = URI.create("ws://" + base.getHost() + ":" + base.getPort() + pathAndQuery);
    return new StreamSubscription(WebSocketClient.connect(uri, null, "sbx-bench"));
  }

  /**
   * Reads until the server closes the stream, giving every text message to the tally.
   *
   * @return the close code the server sent, or -1 when the connection just ended
   */
  int readAll(StreamTally tally) throws IOException {
    for (var message = client.next(); message != null; message = client.next()) {
      if (!message.binary()) {
        tally.accept(message.payload(), 0, message.payload().length);
      }
    }
    return client.closeCode();
  }

  /** Drops the connection; a reading thread sees it end. */
  @Override
  public void close() {
    client.abort();
  }
}
