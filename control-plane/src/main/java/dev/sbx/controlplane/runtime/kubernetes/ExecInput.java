package dev.sbx.controlplane.runtime.kubernetes;

import io.fabric8.kubernetes.client.http.WebSocket;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

/**
 * What goes to a pod exec: stdin (channel 0) and, on a terminal, resizes (channel 4), one frame at
 * a time. fabric8 8.0.0 pumps stdin with up to 16 MiB of sends in flight, but the JDK WebSocket
 * that this control plane's fabric8 client runs on fails a send while another is pending ("Send
 * pending"); fabric8 then says "could not send" and stdin breaks off. PodPipesUploadTest saw it at
 * 6.7 MB of a 12 MB upload to the mock server; a real network backs up sooner. So stdin is sent
 * here, each frame once the one before it was written.
 */
final class ExecInput {

  /**
   * Bytes per stdin frame. With its channel byte a frame must stay within 64 KiB, which WebSocket
   * servers commonly take as their largest frame (fabric8's mock server refuses more).
   */
  static final int FRAME = 32 * 1024;

  static final byte STDIN = 0;
  static final byte RESIZE = 4;

  private final WebSocket socket;

  ExecInput(WebSocket socket) {
    this.socket = socket;
  }

  /**
   * Sends one frame on a channel once the previous send is done.
   *
   * @return false when the socket is closed
   */
  synchronized boolean send(byte channel, byte[] data, int offset, int length)
      throws InterruptedException {
    var frame = ByteBuffer.allocate(length + 1);
    frame.put(channel).put(data, offset, length).flip();
    awaitWritten();
    return socket.send(frame);
  }

  /**
   * Copies the stream to stdin until it ends. When the stream fails (the client's body broke off)
   * the exec is closed, so that it ends instead of waiting for input that will not come.
   */
  void pump(InputStream in) {
    var buffer = new byte[FRAME];
    try (in) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (n > 0 && !send(STDIN, buffer, 0, n)) {
          return; // the exec ended; its Status says how
        }
      }
    } catch (IOException e) {
      socket.sendClose(1000, "stdin broke off");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      socket.sendClose(1000, "stdin interrupted");
    }
  }

  /**
   * Waits until fabric8 counts no bytes unwritten: the JDK completes a send when its frame is
   * written to the connection. A short park, growing to 1 ms, as fabric8's own pump parks on the
   * same count.
   */
  private void awaitWritten() throws InterruptedException {
    long park = 20_000;
    while (socket.queueSize() > 0) {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      LockSupport.parkNanos(park);
      park = Math.min(park * 2, 1_000_000);
    }
  }
}
