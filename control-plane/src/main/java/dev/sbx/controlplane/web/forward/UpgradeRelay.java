package dev.sbx.controlplane.web.forward;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Passes a WebSocket handshake on to the owning replica and, once it switched protocols, the
 * connection's bytes both ways ({@link ByteRelay}). The frames are not parsed: whatever the client
 * and the owner agreed in the handshake (masking, permessage-deflate if ever accepted) passes as it
 * is, and relaying costs a copy per read rather than a decode and an encode per frame. A refused
 * handshake (401, 404, 409...) reaches the client as the owner answered it.
 */
final class UpgradeRelay {

  private static final int HEAD_LIMIT = 64 * 1024;
  private static final int BODY_LIMIT = 1024 * 1024;
  private static final int HEAD_TIMEOUT_MILLIS = 60_000;
  private static final List<String> ANSWER_HEADERS =
      List.of(
          "upgrade", "sec-websocket-accept", "sec-websocket-extensions", "sec-websocket-protocol");

  /** An answer's status line and headers, names lower-cased. */
  private record Head(int status, List<String[]> headers) {
    long contentLength() {
      for (var header : headers) {
        if (header[0].equals("content-length")) {
          return Long.parseLong(header[1].trim());
        }
      }
      return 0;
    }
  }

  void forward(
      HttpServletRequest request,
      HttpServletResponse response,
      String owner,
      String self,
      String secret,
      boolean toHolder)
      throws IOException, ServletException {
    var target = URI.create("http://" + owner);
    var socket = new Socket();
    try {
      socket.connect(
          new InetSocketAddress(target.getHost(), target.getPort()),
          (int) HttpForwarder.CONNECT_TIMEOUT.toMillis());
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(HEAD_TIMEOUT_MILLIS);
      socket.getOutputStream().write(head(request, owner, self, secret, toHolder));
      socket.getOutputStream().flush();
      var in = new BufferedInputStream(socket.getInputStream(), HEAD_LIMIT);
      var head = readHead(in);
      if (head.status() != HttpServletResponse.SC_SWITCHING_PROTOCOLS) {
        refused(response, head, in);
        socket.close();
        return;
      }
      for (var header : head.headers()) {
        if (ANSWER_HEADERS.contains(header[0])) {
          response.addHeader(header[0], header[1]);
        }
      }
      response.setHeader("Connection", "Upgrade");
      socket.setSoTimeout(0); // a quiet stream is not a dead one; pings keep it going
      // What the owner sent after its head (the first frames, often) is in the buffer: the relay
      // reads on from there.
      request.upgrade(ByteRelay.class).connect(socket, in);
    } catch (IOException | ServletException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private static byte[] head(
      HttpServletRequest request, String owner, String self, String secret, boolean toHolder) {
    var query = request.getQueryString();
    var head = new StringBuilder();
    head.append(request.getMethod())
        .append(' ')
        .append(request.getRequestURI())
        .append(query != null ? "?" + query : "")
        .append(" HTTP/1.1\r\nHost: ")
        .append(owner)
        .append("\r\nConnection: Upgrade\r\n");
    for (var name : Collections.list(request.getHeaderNames())) {
      boolean upgrade = name.equalsIgnoreCase("upgrade");
      if (upgrade || ForwardHeaders.passed(name)) {
        for (var value : Collections.list(request.getHeaders(name))) {
          head.append(name).append(": ").append(value).append("\r\n");
        }
      }
    }
    head.append(ForwardHeaders.FORWARDED_BY).append(": ").append(self).append("\r\n");
    if (toHolder) {
      head.append(ForwardHeaders.HOLDER).append(": ask\r\n");
    }
    head.append(ForwardHeaders.PEER_SECRET).append(": ").append(secret).append("\r\n\r\n");
    return head.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static Head readHead(InputStream in) throws IOException {
    var status = line(in);
    var parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new ProtocolException("the owning replica answered no HTTP");
    }
    var headers = new ArrayList<String[]>();
    int total = status.length();
    for (var line = line(in); !line.isEmpty(); line = line(in)) {
      total += line.length();
      int colon = line.indexOf(':');
      if (total > HEAD_LIMIT || colon <= 0) {
        throw new ProtocolException("the owning replica's answer has a bad head");
      }
      headers.add(
          new String[] {
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim()
          });
    }
    return new Head(Integer.parseInt(parts[1]), headers);
  }

  private static String line(InputStream in) throws IOException {
    var line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b == -1 || line.size() > HEAD_LIMIT) {
        throw new ProtocolException("the owning replica's answer ended in its head");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  /** The owner's refusal, status, headers and (bounded) body, as the client's answer. */
  private static void refused(HttpServletResponse response, Head head, InputStream in)
      throws IOException {
    response.setStatus(head.status());
    for (var header : head.headers()) {
      if (ForwardHeaders.passed(header[0])) {
        response.addHeader(header[0], header[1]);
      }
    }
    long length = Math.min(head.contentLength(), BODY_LIMIT);
    var body = in.readNBytes((int) length);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
