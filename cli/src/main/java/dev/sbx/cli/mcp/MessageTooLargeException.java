package dev.sbx.cli.mcp;

import java.io.IOException;

/** A message from the server was larger than sbx mcp takes. */
final class MessageTooLargeException extends IOException {

  MessageTooLargeException(int max) {
    super("a message from the control plane was larger than " + (max >> 20) + " MiB");
  }
}
