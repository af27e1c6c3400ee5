package dev.sbx.cli.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A minimal RFC 6455 client: receives messages, answers pings, sends text and binary messages (one
 * thread may send while another receives), closes cleanly.
 */
public final class WebSocketClient implements Closeable {

  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  private static final int HANDSHAKE_TIMEOUT_MILLIS = 60_000;
  private static final int CLOSE_TIMEOUT_MILLIS = 1_000;
  private static final int NORMAL_CLOSURE = 1000;
  private static final int NO_STATUS = 1005;
  // Output arrives in events of up to ~1 MB at hundreds of MB/s (sbx logs, make bench), so reads
  // go through a larger buffer than the default 8 KiB; 256 KiB is what the bench's own client used.
  // Not measured apart: with it, this client streams at 0.93 of that one (StreamSubscription).
  private static final int READ_BUFFER = 256 * 1024;
  private static final long MAX_MESSAGE = Frame.MAX_PAYLOAD;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final Random random;
  private boolean closeSent;
  private boolean closeReceived;
  private String closeReason = "";
  private int closeCode = -1;

  private WebSocketClient(Socket socket, InputStream in, Random random) throws IOException {
    this.socket = socket;
    this.in = in;
    this.out = socket.getOutputStream();
    this.random = random;
  }

  /**
   * Connects and completes the opening handshake; a refused handshake is an {@link ApiException}.
   */
  public static WebSocketClient connect(URI uri, String authorization, String userAgent)
      throws IOException {
    boolean secure = "wss".equalsIgnoreCase(uri.getScheme());
    int port = uri.getPort() != -1 ? uri.getPort() : secure ? 443 : 80;
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(uri.getHost(), port), CONNECT_TIMEOUT_MILLIS);
      if (secure) {
        socket = tls(socket, uri.getHost(), port);
      }
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
      var in = new BufferedInputStream(socket.getInputStream(), READ_BUFFER);
      // The mask only stops a browser script from steering bytes through a caching proxy; no such
      // script runs here, and SecureRandom would cost ~30 ms of start-up loading security
      // providers.
      var random = new Random();
      Handshake.perform(uri, authorization, userAgent, in, socket.getOutputStream(), random);
      // Events may be minutes apart; the server's pings keep the connection alive, not a timeout.
      socket.setSoTimeout(0);
      return new WebSocketClient(socket, in, random);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private static Socket tls(Socket plain, String host, int port) throws IOException {
    var factory = (SSLSocketFactory) SSLSocketFactory.getDefault();
    var socket = (SSLSocket) factory.createSocket(plain, host, port, true);
    var parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    socket.setSSLParameters(parameters);
    socket.startHandshake();
    return socket;
  }

  /** The next text message, or {@code null} once the connection is closed. */
  public String receive() throws IOException {
    for (var message = next(); message != null; message = next()) {
      if (!message.binary()) {
        return message.text();
      }
    }
    return null;
  }

  /**
   * One message as it came.
   *
   * @param binary whether it came in binary frames (else text)
   */
  public record Message(boolean binary, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  /** The next message, text or binary, or {@code null} once the connection is closed. */
  public Message next() throws IOException {
    ByteArrayOutputStream message = null; // only for a message in several frames
    int messageType = -1;
    while (!closeReceived) {
      Frame frame = Frame.read(in);
      if (frame == null) {
        closeReceived = true;
      } else if (frame.control()) {
        control(frame);
      } else {
        boolean continuation = frame.opcode() == Frame.CONTINUATION;
        if (continuation != (messageType != -1) || frame.opcode() > Frame.BINARY) {
          throw new ProtocolException("WebSocket frames out of order");
        }
        messageType = continuation ? messageType : frame.opcode();
        if (frame.fin() && message == null) {
          return new Message(messageType == Frame.BINARY, frame.payload());
        }
        message = message != null ? message : new ByteArrayOutputStream();
        // Each frame is capped, so a peer that never ends its message is what is left to stop.
        if (message.size() + (long) frame.payload().length > MAX_MESSAGE) {
          throw new ProtocolException("WebSocket message over " + MAX_MESSAGE + " bytes");
        }
        message.write(frame.payload());
        if (frame.fin()) {
          return new Message(messageType == Frame.BINARY, message.toByteArray());
        }
      }
    }
    socket.close();
    return null;
  }

  /**
   * The status code of the server's close frame: 1005 when it gave none, -1 when the connection
   * ended without one.
   */
  public int closeCode() {
    return closeCode;
  }

  /** The reason the server gave in its close frame; empty when it gave none. */
  public String closeReason() {
    return closeReason;
  }

  private void control(Frame frame) throws IOException {
    switch (frame.opcode()) {
      case Frame.PING -> send(Frame.PONG, frame.payload());
      case Frame.PONG -> {}
      case Frame.CLOSE -> {
        closeReceived = true;
        byte[] payload = frame.payload();
        closeCode =
            payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : NO_STATUS;
        if (payload.length > 2) {
          closeReason = new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }
        if (!closeSent) {
          closeSent = true;
          // Echo the status code, as RFC 6455 5.5.1 asks.
          send(Frame.CLOSE, payload.length >= 2 ? new byte[] {payload[0], payload[1]} : payload);
        }
      }
      default -> throw new ProtocolException("unknown WebSocket opcode " + frame.opcode());
    }
  }

  /** Sends one binary message. */
  public void sendBinary(byte[] payload) throws IOException {
    send(Frame.BINARY, payload);
  }

  /** Sends one text message. */
  public void sendText(String text) throws IOException {
    send(Frame.TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  // Synchronized: a pong from the receiving thread must not interleave with another frame.
  private synchronized void send(int opcode, byte[] payload) throws IOException {
    byte[] mask = new byte[4];
    random.nextBytes(mask);
    new Frame(true, opcode, payload).write(out, mask);
  }

  /**
   * Drops the connection at once, without the closing handshake: for a caller whose other thread is
   * still reading, which {@link #close()} would race with.
   */
  public void abort() {
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing left to release.
    }
  }

  /** Sends a close frame and waits briefly for the server's, then drops the connection. */
  @Override
  public void close() {
    try {
      if (!closeSent && !socket.isClosed()) {
        closeSent = true;
        send(Frame.CLOSE, new byte[] {(byte) (NORMAL_CLOSURE >> 8), (byte) NORMAL_CLOSURE});
        // The server should end TCP first (RFC 6455 7.1.1), but a silent one must not hold the CLI.
        // A deadline as well as the timeout: a server that keeps sending never lets a read time
        // out.
        socket.setSoTimeout(CLOSE_TIMEOUT_MILLIS);
        long deadline = System.nanoTime() + CLOSE_TIMEOUT_MILLIS * 1_000_000L;
        for (Frame frame = Frame.read(in);
            frame != null && frame.opcode() != Frame.CLOSE && System.nanoTime() < deadline;
            frame = Frame.read(in)) {
          // what the server sent before its close: nobody is reading any more
        }
      }
    } catch (IOException e) {
      // Closing is best effort; the socket goes away below either way.
    } finally {
      try {
        socket.close();
      } catch (IOException e) {
        // Nothing left to release.
      }
    }
  }
}
