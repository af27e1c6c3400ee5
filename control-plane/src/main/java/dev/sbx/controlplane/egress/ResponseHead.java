package dev.sbx.controlplane.egress;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The host's answer to a plain HTTP request, up to the end of its head: passed on with its
 * hop-by-hop headers removed and {@code Connection: close}, since the proxy carries one request per
 * connection and closes it after the answer (RFC 9112, section 9.6: a server that closes says so).
 * Without it, clients that keep connections to a proxy open (curl does) sent their next request
 * into a closed connection. Interim answers (100 Continue, for curl's large uploads) pass as they
 * come; after the final head the decoder and this handler leave, and the body is bytes for {@link
 * Relay}, as the host sent it.
 */
final class ResponseHead extends ChannelInboundHandlerAdapter {

  static final String DECODER = "response-decoder";

  private static final int MAX_INITIAL_LINE = 8192;
  private static final int MAX_HEADER_SIZE = 65536;
  private static final Set<String> HOP_BY_HOP =
      Set.of("connection", "proxy-connection", "keep-alive", "proxy-authenticate", "upgrade");

  private final Channel client;
  private final EgressAttempt attempt;
  private final EgressMetrics metrics;

  private ResponseHead(Channel client, EgressAttempt attempt, EgressMetrics metrics) {
    this.client = client;
    this.attempt = attempt;
    this.metrics = metrics;
  }

  /** Puts the decoder and this handler before the host side's relay. */
  static void install(Channel upstream, Channel client, EgressAttempt attempt, EgressMetrics m) {
    upstream
        .pipeline()
        .addFirst("response-head", new ResponseHead(client, attempt, m))
        .addFirst(DECODER, new HttpResponseDecoder(MAX_INITIAL_LINE, MAX_HEADER_SIZE, 65536));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf) {
      ctx.fireChannelRead(msg); // the body, once the decoder left
      return;
    }
    try {
      if (!(msg instanceof HttpResponse response)) {
        return; // the (empty) content of an interim answer
      }
      if (response.decoderResult().isFailure()) {
        malformed(ctx);
        return;
      }
      int status = response.status().code();
      boolean interim = status >= 100 && status < 200 && status != 101;
      forward(head(response, !interim));
      if (!interim) {
        // What the decoder read beyond the head reaches the relay as bytes when it leaves.
        ctx.pipeline().remove(this);
        ctx.pipeline().remove(DECODER);
      }
    } finally {
      if (!(msg instanceof ByteBuf)) {
        ReferenceCountUtil.release(msg);
      }
    }
  }

  private void forward(byte[] head) {
    attempt.received(head.length);
    metrics.received(head.length);
    client.writeAndFlush(client.alloc().buffer(head.length).writeBytes(head));
  }

  /** The host sent no HTTP: the sandbox gets a 502, and both sides close. */
  private void malformed(ChannelHandlerContext ctx) {
    var reason = "malformed response from " + attempt.view().host();
    client
        .writeAndFlush(ProxyResponses.refusal(client.alloc(), 502, reason))
        .addListener(ChannelFutureListener.CLOSE);
    ctx.close();
  }

  private static byte[] head(HttpResponse response, boolean last) {
    var headers = response.headers();
    var dropped = new HashSet<>(HOP_BY_HOP);
    for (var value : headers.getAll(HttpHeaderNames.CONNECTION)) {
      for (var token : value.split(",")) {
        dropped.add(token.trim().toLowerCase(Locale.ROOT));
      }
    }
    var out = new StringBuilder(256);
    out.append(response.protocolVersion().text())
        .append(' ')
        .append(response.status().code())
        .append(' ')
        .append(response.status().reasonPhrase())
        .append("\r\n");
    for (var header : headers) {
      if (!dropped.contains(header.getKey().toLowerCase(Locale.ROOT))) {
        out.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
      }
    }
    if (last) {
      out.append("Connection: close\r\n");
    }
    out.append("\r\n");
    // ISO-8859-1 gives the header bytes back as they came.
    return out.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
