package dev.sbx.controlplane.egress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * On a plain-HTTP connection, between the HTTP decoder and the request handler (later the relay):
 * passes on the body of the sandbox's first request as bytes, and nothing after it. Whatever
 * follows the body, such as a second request pipelined behind the first, is dropped unread by the
 * host: the proxy decided on the first request's host only, and a host would otherwise serve a
 * second request in absolute form for any name it hosts, or read it as smuggled. The body goes on
 * framed as it came: Content-Length bytes as they are, a chunked body re-chunked (trailers are
 * dropped, as a proxy may). The sandbox is told {@code Connection: close}, so a client that
 * pipelines sends the rest again on a new connection, which is decided on its own.
 */
final class RequestBody extends ChannelInboundHandlerAdapter {

  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final boolean chunked;
  private boolean ended;

  /**
   * @param chunked whether the request's body is chunked ({@code Transfer-Encoding: chunked})
   */
  RequestBody(boolean chunked) {
    this.chunked = chunked;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (ended || !(msg instanceof HttpContent content)) {
      ReferenceCountUtil.release(msg); // a request after the first, or its body
      return;
    }
    try {
      if (content.decoderResult().isFailure()) {
        ended = true;
        ctx.close(); // a body the decoder cannot frame: the host has had part of it at most
        return;
      }
      var data = content.content();
      if (data.isReadable()) {
        ctx.fireChannelRead(chunked ? chunk(data) : data.retain());
      }
      if (content instanceof LastHttpContent) {
        ended = true;
        if (chunked) {
          ctx.fireChannelRead(Unpooled.wrappedBuffer(LAST_CHUNK));
        }
      }
    } finally {
      content.release();
    }
  }

  private static ByteBuf chunk(ByteBuf data) {
    var size =
        (Integer.toHexString(data.readableBytes()) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    return Unpooled.wrappedBuffer(
        Unpooled.wrappedBuffer(size), data.retain(), Unpooled.wrappedBuffer(CRLF));
  }
}
