package dev.sbx.controlplane.egress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import java.util.List;

/** Joins a sandbox's connection and the host's once the host answered: from here on, bytes. */
final class Tunnel {

  private Tunnel() {}

  /**
   * Puts a {@link Relay} on each side, answers a CONNECT with 200 or sends a plain request's head
   * (and reads the answer's head with {@link ResponseHead}), passes on what the sandbox sent after
   * its request, and starts reading both sides.
   *
   * @param ctx the sandbox side's context
   * @param handler the request handler, which the sandbox side's relay replaces
   * @param early what the sandbox sent after its request; handed on, the caller drops the list
   */
  static void join(
      ChannelHandlerContext ctx,
      ChannelHandler handler,
      Channel upstream,
      ProxyRequest request,
      EgressAttempt attempt,
      List<ByteBuf> early,
      EgressMetrics metrics) {
    var client = ctx.channel();
    client.closeFuture().addListener(closed -> upstream.close());
    upstream.pipeline().addLast(new Relay(client, false, attempt, metrics));
    ctx.pipeline().replace(handler, "relay", new Relay(upstream, true, attempt, metrics));
    if (request.isConnect()) {
      client.writeAndFlush(ProxyResponses.ascii(client.alloc(), ProxyResponses.ESTABLISHED));
    } else {
      ResponseHead.install(upstream, client, attempt, metrics);
      var head = request.head();
      attempt.sent(head.length);
      metrics.sent(head.length);
      upstream.write(Unpooled.wrappedBuffer(head));
    }
    for (var buf : early) {
      attempt.sent(buf.readableBytes());
      metrics.sent(buf.readableBytes());
      upstream.write(buf);
    }
    upstream.flush();
    upstream.config().setAutoRead(true);
    client.config().setAutoRead(true);
  }
}
