package dev.sbx.controlplane.stream;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.support.OriginHandshakeInterceptor;

/**
 * Registers the stream endpoint and the sidecars' ingest endpoint. Only same-origin browser pages
 * may open it (Spring's default), so a web page the user visits cannot read their sandboxes'
 * output; clients without an Origin header (sbx, wscat, curl) are not affected.
 */
@Configuration
@EnableWebSocket
class StreamConfiguration implements WebSocketConfigurer {

  private final StreamHandler handler;
  private final StreamHandshake handshake;
  private final IngestHandler ingest;
  private final IngestHandshake ingestHandshake;
  private final TerminalHandler terminal;
  private final TerminalHandshake terminalHandshake;

  StreamConfiguration(
      StreamHandler handler,
      StreamHandshake handshake,
      IngestHandler ingest,
      IngestHandshake ingestHandshake,
      TerminalHandler terminal,
      TerminalHandshake terminalHandshake) {
    this.handler = handler;
    this.handshake = handshake;
    this.ingest = ingest;
    this.ingestHandshake = ingestHandshake;
    this.terminal = terminal;
    this.terminalHandshake = terminalHandshake;
  }

  @Override
  public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
    registry
        .addHandler(handler, "/sandboxes/{id}/stream")
        .setHandshakeHandler(new UncompressedHandshake())
        .addInterceptors(handshake);
    registry.addHandler(ingest, "/sandboxes/{id}/ingest").addInterceptors(ingestHandshake);
    registry
        .addHandler(terminal, "/sandboxes/{id}/tty")
        .setHandshakeHandler(new UncompressedHandshake())
        // The Origin first: a foreign page learns nothing about the sandbox from a 404 or 501.
        .addInterceptors(new OriginHandshakeInterceptor(), terminalHandshake);
  }
}
