package dev.sbx.controlplane.egress;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first phase of one sandbox connection: reads its request (CONNECT or absolute-form HTTP), has
 * it decided off the event loop, answers a refusal with its reason, or connects to the host and
 * hands both sides to {@link Relay}. The sandbox's identity comes from the channel it arrived on,
 * never from anything it sends.
 */
final class ProxyRequestHandler extends ChannelInboundHandlerAdapter {

  private static final Logger logger = LoggerFactory.getLogger(ProxyRequestHandler.class);

  private final ProxyContext context;
  private final String sandboxId;
  private final List<ByteBuf> early = new ArrayList<>();
  private @Nullable ProxyRequest request;
  private @Nullable EgressAttempt attempt;
  private @Nullable ScheduledFuture<?> headTimeout;

  ProxyRequestHandler(ProxyContext context, String sandboxId) {
    this.context = context;
    this.sandboxId = sandboxId;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    var timeout = context.settings().headTimeout();
    headTimeout =
        ctx.executor()
            .schedule(
                () -> {
                  if (request == null) {
                    ctx.close();
                  }
                },
                timeout.toMillis(),
                TimeUnit.MILLISECONDS);
    ctx.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (request != null) {
      // What the sandbox sent right after its request: the start of the tunnel or of the body
      // (bytes, from RequestBody). Nothing more is read until the host is connected.
      if (msg instanceof ByteBuf buf && buf.isReadable()) {
        early.add(buf);
      } else {
        ReferenceCountUtil.release(msg);
      }
      return;
    }
    if (!(msg instanceof HttpRequest http)) {
      ReferenceCountUtil.release(msg);
      ctx.read();
      return;
    }
    ReferenceCountUtil.release(msg);
    if (http.decoderResult().isFailure()) {
      refuseUnparsed(ctx, 400, "malformed request");
      return;
    }
    ProxyRequest parsed;
    try {
      parsed = ProxyRequest.of(http);
    } catch (IllegalArgumentException e) {
      refuseUnparsed(ctx, 400, e.getMessage());
      return;
    }
    request = parsed;
    cancelHeadTimeout();
    if (parsed.isConnect()) {
      // From here on the bytes are the tunnel's, passed on as they come; the decoder hands us
      // what it had read beyond the head when it is removed.
      ctx.pipeline().remove(HttpRequestDecoder.class);
    } else {
      // The decoder stays, so that only this request's body reaches the host.
      ctx.pipeline().addBefore(ctx.name(), "request-body", new RequestBody(parsed.chunked()));
    }
    var target = parsed.target();
    attempt =
        new EgressAttempt(
            sandboxId, context.clock(), parsed.method(), target.host(), target.port());
    context.audit().record(attempt);
    if (target.isAddress()) {
      // No name to resolve: decided here, without a trip to the resolver's threads.
      decided(ctx, Decisions.decide(context, sandboxId, target), null);
      return;
    }
    context
        .resolver()
        .submit(() -> Decisions.decide(context, sandboxId, target))
        .orTimeout(context.settings().connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (decision, error) -> ctx.executor().execute(() -> decided(ctx, decision, error)));
  }

  private void decided(
      ChannelHandlerContext ctx, @Nullable Decision decision, @Nullable Throwable error) {
    var current = attempt;
    var target = request.target();
    if (error != null) {
      var cause = error instanceof CompletionException ? error.getCause() : error;
      if (cause instanceof TimeoutException) {
        fail(ctx, 504, "timed out resolving " + target.host());
      } else if (cause instanceof RejectedExecutionException) {
        fail(ctx, 503, "the egress proxy is busy");
      } else {
        logger.warn("egress: deciding {} for sandbox {} failed", target, sandboxId, cause);
        fail(ctx, 502, "cannot decide " + target.host());
      }
      return;
    }
    if (!decision.allowed()) {
      current.decided(
          decision.failed() ? EgressAttempt.Outcome.FAILED : EgressAttempt.Outcome.DENIED,
          decision.address(),
          decision.reason());
      context.metrics().attempt(current.outcome());
      respondAndClose(ctx, decision.failed() ? 502 : 403, decision.reason());
      return;
    }
    if (!ctx.channel().isActive()) {
      current.decided(EgressAttempt.Outcome.FAILED, decision.address(), "the sandbox hung up");
      context.metrics().attempt(EgressAttempt.Outcome.FAILED);
      releaseEarly();
      return;
    }
    var client = ctx.channel();
    context
        .upstream()
        .clone(client.eventLoop())
        .handler(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel upstream) {
                // The relay is added once connected; until then the channel reads nothing.
              }
            })
        .connect(new InetSocketAddress(decision.address(), target.port()))
        .addListener(
            (ChannelFutureListener) connected -> connected(ctx, client, connected, decision));
  }

  private void connected(
      ChannelHandlerContext ctx, Channel client, ChannelFuture connected, Decision decision) {
    var current = attempt;
    var target = request.target();
    if (!connected.isSuccess()) {
      var cause = connected.cause();
      current.decided(
          EgressAttempt.Outcome.FAILED,
          decision.address(),
          (cause instanceof ConnectTimeoutException
                  ? "timed out connecting to "
                  : "cannot connect to ")
              + target);
      context.metrics().attempt(EgressAttempt.Outcome.FAILED);
      respondAndClose(ctx, cause instanceof ConnectTimeoutException ? 504 : 502, current.reason());
      return;
    }
    var upstream = connected.channel();
    current.decided(EgressAttempt.Outcome.ALLOWED, decision.address(), decision.reason());
    context.metrics().attempt(EgressAttempt.Outcome.ALLOWED);
    if (!client.isActive()) {
      upstream.close();
      releaseEarly();
      return;
    }
    Tunnel.join(ctx, this, upstream, request, current, early, context.metrics());
    early.clear();
  }

  private void fail(ChannelHandlerContext ctx, int status, String reason) {
    attempt.decided(EgressAttempt.Outcome.FAILED, null, reason);
    context.metrics().attempt(EgressAttempt.Outcome.FAILED);
    respondAndClose(ctx, status, reason);
  }

  /** A request that never named a host: recorded with the host "-". */
  private void refuseUnparsed(ChannelHandlerContext ctx, int status, String reason) {
    cancelHeadTimeout();
    var refused = new EgressAttempt(sandboxId, context.clock(), "-", "-", 0);
    refused.decided(EgressAttempt.Outcome.DENIED, null, reason);
    attempt = refused;
    context.audit().record(refused);
    context.metrics().attempt(EgressAttempt.Outcome.DENIED);
    respondAndClose(ctx, status, reason);
  }

  private void respondAndClose(ChannelHandlerContext ctx, int status, String reason) {
    releaseEarly();
    ctx.writeAndFlush(ProxyResponses.refusal(ctx.alloc(), status, reason))
        .addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent) {
      ctx.close();
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelHeadTimeout();
    releaseEarly();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }

  /** The attempt this connection made, once it sent a request. */
  @Nullable EgressAttempt attempt() {
    return attempt;
  }

  private void cancelHeadTimeout() {
    if (headTimeout != null) {
      headTimeout.cancel(false);
    }
  }

  private void releaseEarly() {
    early.forEach(ReferenceCountUtil::release);
    early.clear();
  }
}
