package dev.sbx.controlplane.egress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * Copies bytes from one side of an allowed connection to the other. It stops reading a side while
 * the other side holds more than its write buffer's high mark unsent (64 KiB), so a slow reader
 * slows the sender through TCP's own back-pressure instead of filling memory: a connection holds at
 * most a read and a write buffer each way. An end of input on one side becomes an end of output on
 * the other, for protocols that half-close.
 */
final class Relay extends ChannelInboundHandlerAdapter {

  private final Channel peer;
  private final boolean fromSandbox;
  private final EgressAttempt attempt;
  private final EgressMetrics metrics;

  /**
   * @param fromSandbox whether this side is the sandbox's, so its bytes count as sent
   */
  Relay(Channel peer, boolean fromSandbox, EgressAttempt attempt, EgressMetrics metrics) {
    this.peer = peer;
    this.fromSandbox = fromSandbox;
    this.attempt = attempt;
    this.metrics = metrics;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    int bytes = buf.readableBytes();
    if (fromSandbox) {
      attempt.sent(bytes);
      metrics.sent(bytes);
    } else {
      attempt.received(bytes);
      metrics.received(bytes);
    }
    peer.write(buf)
        .addListener(
            (ChannelFutureListener)
                written -> {
                  if (!written.isSuccess()) {
                    closeBoth(ctx.channel());
                  }
                });
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    peer.flush();
    if (!peer.isWritable()) {
      ctx.channel().config().setAutoRead(false); // until the peer drained below its low mark
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      peer.config().setAutoRead(true);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof ChannelInputShutdownEvent) {
      peer.writeAndFlush(Unpooled.EMPTY_BUFFER)
          .addListener(
              (ChannelFutureListener)
                  flushed -> {
                    if (peer instanceof DuplexChannel duplex && duplex.isActive()) {
                      duplex.shutdownOutput();
                    }
                    if (bothInputsEnded(ctx.channel())) {
                      closeBoth(ctx.channel());
                    }
                  });
    } else if (event instanceof IdleStateEvent) {
      closeBoth(ctx.channel());
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    closeBoth(ctx.channel()); // resets and broken pipes are how connections end
  }

  private boolean bothInputsEnded(Channel self) {
    return self instanceof DuplexChannel a
        && peer instanceof DuplexChannel b
        && a.isInputShutdown()
        && b.isInputShutdown();
  }

  private void closeBoth(Channel self) {
    self.close();
    peer.close();
  }
}
