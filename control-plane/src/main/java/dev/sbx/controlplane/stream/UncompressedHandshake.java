package dev.sbx.controlplane.stream;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeFailureException;
import org.springframework.web.socket.server.RequestUpgradeStrategy;
import org.springframework.web.socket.server.standard.StandardWebSocketUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * Declines permessage-deflate on output streams. Browsers, wscat (node's ws), and Python's
 * websockets offer it by default, and Tomcat accepts whatever is offered: compressing every frame
 * then took most of the stream's speed (node ws with its defaults read 24 MB/s of base64 output,
 * the same client without the offer 107 MB/s, on a 2-core machine). Exec output mostly moves over
 * loopback or a LAN, where bytes are cheaper than CPU; a client far away can fetch {@code /output}
 * with gzip from a proxy in front.
 *
 * <p>Tomcat negotiates from the request's {@code Sec-WebSocket-Extensions} header and falls back to
 * its own extensions when Spring selects none, so the header is hidden from it instead.
 */
final class UncompressedHandshake extends DefaultHandshakeHandler {

  private static final String EXTENSIONS = "Sec-WebSocket-Extensions";

  UncompressedHandshake() {
    super(new Upgrade(new StandardWebSocketUpgradeStrategy()));
  }

  /** Upgrades as Tomcat's standard strategy does, from a request without extension offers. */
  private record Upgrade(RequestUpgradeStrategy standard) implements RequestUpgradeStrategy {
    @Override
    public String[] getSupportedVersions() {
      return standard.getSupportedVersions();
    }

    @Override
    public List<WebSocketExtension> getSupportedExtensions(ServerHttpRequest request) {
      return List.of();
    }

    @Override
    public void upgrade(
        ServerHttpRequest request,
        ServerHttpResponse response,
        @Nullable String protocol,
        List<WebSocketExtension> extensions,
        @Nullable Principal user,
        WebSocketHandler handler,
        Map<String, Object> attributes)
        throws HandshakeFailureException {
      if (request instanceof ServletServerHttpRequest servlet) {
        request = new ServletServerHttpRequest(new WithoutExtensions(servlet.getServletRequest()));
      }
      standard.upgrade(request, response, protocol, List.of(), user, handler, attributes);
    }
  }

  private static final class WithoutExtensions extends HttpServletRequestWrapper {
    WithoutExtensions(HttpServletRequest request) {
      super(request);
    }

    @Override
    public String getHeader(String name) {
      return EXTENSIONS.equalsIgnoreCase(name) ? null : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      return EXTENSIONS.equalsIgnoreCase(name)
          ? Collections.emptyEnumeration()
          : super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
      var names = Collections.list(super.getHeaderNames());
      names.removeIf(EXTENSIONS::equalsIgnoreCase);
      return Collections.enumeration(names);
    }
  }
}
