package dev.sbx.cli.client;

import java.io.IOException;
import java.net.UnknownHostException;

/** No HTTP answer came back from the control plane: refused, unknown host, timed out, reset. */
public final class ControlPlaneUnreachableException extends RuntimeException {

  ControlPlaneUnreachableException(String baseUrl, IOException cause) {
    super("cannot reach the control plane at " + baseUrl + ": " + reason(cause), cause);
  }

  private static String reason(IOException e) {
    if (e instanceof UnknownHostException) {
      return "unknown host " + e.getMessage();
    }
    String message = e.getMessage();
    return message == null || message.isEmpty() ? e.getClass().getSimpleName() : message;
  }
}
