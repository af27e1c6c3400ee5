package dev.sbx.cli.command;

import dev.sbx.cli.client.ApiException;
import dev.sbx.cli.client.ControlPlaneClient;
import dev.sbx.cli.client.ControlPlaneUnreachableException;
import dev.sbx.cli.client.WebSocketClient;
import java.io.IOException;

/** Follows one exec's stream to its exit event, resuming where it broke off when it breaks. */
final class ExecStream {

  private static final String BROKEN = "stream closed before the command finished";

  private final ControlPlaneClient client;
  private final String sandboxId;
  private final String execId;
  private final ExecEvents events;
  private final Backoff backoff;

  ExecStream(
      ControlPlaneClient client,
      String sandboxId,
      String execId,
      ExecEvents events,
      Backoff backoff) {
    this.client = client;
    this.sandboxId = sandboxId;
    this.execId = execId;
    this.events = events;
    this.backoff = backoff;
  }

  /** Returns sbx's exit code: the command's, once its exit event has come. */
  int follow() {
    while (true) {
      long from = events.nextSeq();
      String problem;
      // Binary frames carry the output's exact bytes: no JSON to parse, no base64 to decode. The
      // JSON lines of -stream are the events as the server writes them, so they stay JSON.
      try (var socket = client.openStream(sandboxId, execId, from, !events.jsonLines())) {
        Integer exitCode = read(socket);
        if (exitCode != null) {
          return exitCode;
        }
        // A 4008 "too slow" close lands here too: resuming is all it asks for.
        problem = socket.closeReason();
      } catch (IOException | ControlPlaneUnreachableException e) {
        problem = e.getMessage();
      } catch (ApiException e) {
        if (!worthRetrying(e)) {
          throw e;
        }
        problem = e.getMessage();
      }
      if (events.nextSeq() > from) {
        backoff.reset();
      }
      if (!backoff.pause()) {
        throw new ExecFailedException(
            problem == null || problem.isEmpty() ? BROKEN : BROKEN + ": " + problem);
      }
    }
  }

  private Integer read(WebSocketClient socket) throws IOException {
    for (var message = socket.next(); message != null; message = socket.next()) {
      Integer exitCode =
          message.binary() ? events.acceptBinary(message.payload()) : events.accept(message.text());
      if (exitCode != null) {
        return exitCode;
      }
    }
    return null;
  }

  // A 404 means the exec or its sandbox is gone and a 401 will not heal: only the server's own
  // trouble is worth waiting out.
  private static boolean worthRetrying(ApiException e) {
    return e.status() >= 500 || e.status() == 429 || e.status() == 408;
  }
}
