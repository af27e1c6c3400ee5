package dev.sbx.controlplane.egress;

import dev.sbx.controlplane.runtime.EgressChannels;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The egress proxy: HTTP CONNECT (TLS and any TCP) and plain HTTP forwarding, with every attempt
 * decided by the calling sandbox's policy and recorded. Sandboxes reach it on a unix socket of
 * their own (local runtime), which is how it knows who calls, or on a TCP port where the caller is
 * known by its source address (Kubernetes: the pod IP).
 *
 * <p>Netty's NIO transport: two event-loop threads carry every connection, so a thousand open
 * tunnels cost buffers, not threads (the JDK baseline is 17, without virtual threads); its HTTP
 * decoder reads what sandboxes send, with limits.
 */
public final class EgressProxy implements EgressChannels, AutoCloseable {

  static final AttributeKey<String> SANDBOX = AttributeKey.valueOf("sbx.sandbox");

  private static final int MAX_INITIAL_LINE = 8192;
  private static final int MAX_HEADER_SIZE = 16384;

  private static final AdaptiveRecvByteBufAllocator READS =
      new AdaptiveRecvByteBufAllocator(
          Integer.getInteger("sbx.egress.readMin", 2048),
          Integer.getInteger("sbx.egress.readInitial", 16384),
          Integer.getInteger("sbx.egress.readMax", 65536));
  private static final WriteBufferWaterMark WATER_MARK =
      new WriteBufferWaterMark(
          Integer.getInteger("sbx.egress.lowMark", 32768),
          Integer.getInteger("sbx.egress.highMark", 65536));

  private final ProxyContext context;
  private final EventLoopGroup group;
  private final Map<String, Channel> unixListeners = new ConcurrentHashMap<>();
  private final List<Channel> tcpListeners = new CopyOnWriteArrayList<>();

  EgressProxy(
      EgressSettings settings,
      PolicySource policies,
      ForbiddenRanges forbidden,
      EgressMetrics metrics,
      Resolver.NameLookup names,
      Clock clock) {
    this.group =
        new MultiThreadIoEventLoopGroup(
            Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors())),
            new DefaultThreadFactory("sbx-egress", true),
            NioIoHandler.newFactory());
    var upstream =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.AUTO_READ, false)
            .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .option(ChannelOption.RCVBUF_ALLOCATOR, READS)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()));
    this.context =
        new ProxyContext(
            new EgressRules(forbidden),
            policies,
            new Resolver(names),
            new EgressAudit(settings.auditSize()),
            metrics,
            new ConnectionSlots(settings.maxConnections()),
            settings,
            upstream,
            clock);
  }

  /**
   * Accepts one sandbox's connections on a unix socket at this path (replacing a stale file); every
   * connection that arrives there is that sandbox's. The socket is readable and writable by its
   * owner only: the caller hands it to the sandbox's user.
   */
  public void listen(String sandboxId, Path socket) throws IOException {
    close(sandboxId);
    Files.deleteIfExists(socket);
    var listener =
        bind(
            new ServerBootstrap()
                .channel(NioServerDomainSocketChannel.class)
                .childAttr(SANDBOX, sandboxId)
                .childHandler(initializer(ch -> Optional.of(sandboxId))),
            UnixDomainSocketAddress.of(socket));
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    unixListeners.put(sandboxId, listener);
  }

  /** Stops accepting a sandbox's new connections; open ones run on until they end. */
  public void close(String sandboxId) {
    var listener = unixListeners.remove(sandboxId);
    if (listener != null) {
      listener.close().syncUninterruptibly();
    }
  }

  /**
   * Accepts connections on a TCP address; each caller is the sandbox its source address belongs to,
   * or is refused.
   *
   * @return the address it listens on (its port when port 0 was asked for)
   */
  public InetSocketAddress listen(
      InetSocketAddress address, Function<InetAddress, Optional<String>> sandboxAt)
      throws IOException {
    var listener =
        bind(
            new ServerBootstrap()
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(
                    initializer(
                        ch ->
                            sandboxAt.apply(
                                ((InetSocketAddress) ch.remoteAddress()).getAddress()))),
            address);
    tcpListeners.add(listener);
    return (InetSocketAddress) listener.localAddress();
  }

  private Channel bind(ServerBootstrap bootstrap, SocketAddress address) throws IOException {
    var bound =
        bootstrap
            .group(group)
            .childOption(ChannelOption.AUTO_READ, false)
            .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .childOption(ChannelOption.RCVBUF_ALLOCATOR, READS)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
            .bind(address)
            .awaitUninterruptibly();
    if (!bound.isSuccess()) {
      throw new IOException("cannot listen on " + address + ": " + bound.cause(), bound.cause());
    }
    return bound.channel();
  }

  private ChannelInitializer<Channel> initializer(Function<Channel, Optional<String>> caller) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        var sandboxId = caller.apply(ch).orElse(null);
        if (sandboxId == null) {
          refuse(ch, 403, "not a sandbox");
          return;
        }
        if (!context.slots().tryAcquire(sandboxId)) {
          var refused = new EgressAttempt(sandboxId, context.clock(), "-", "-", 0);
          var reason = "connection limit (" + context.slots().limit() + ") reached";
          refused.decided(EgressAttempt.Outcome.DENIED, null, reason);
          context.audit().record(refused);
          context.metrics().attempt(EgressAttempt.Outcome.DENIED);
          refuse(ch, 429, reason);
          return;
        }
        var handler = new ProxyRequestHandler(context, sandboxId);
        ch.closeFuture()
            .addListener(
                closed -> {
                  context.slots().release(sandboxId);
                  var attempt = handler.attempt();
                  if (attempt != null) {
                    attempt.closed();
                  }
                });
        long idle = context.settings().idleTimeout().toMillis();
        ch.pipeline()
            .addLast(new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS))
            .addLast(new HttpRequestDecoder(MAX_INITIAL_LINE, MAX_HEADER_SIZE, 65536))
            .addLast(handler);
      }
    };
  }

  /** Answers at once, without reading what the caller sends. */
  private static void refuse(Channel ch, int status, String reason) {
    ch.writeAndFlush(ProxyResponses.refusal(ch.alloc(), status, reason))
        .addListener(ChannelFutureListener.CLOSE);
  }

  /** The sandbox's last attempts, oldest first. */
  public List<EgressAttemptView> attempts(String sandboxId) {
    return context.audit().recent(sandboxId);
  }

  /** Drops what the proxy keeps about a deleted sandbox. */
  public void forget(String sandboxId) {
    close(sandboxId);
    context.audit().forget(sandboxId);
  }

  /** The sandbox's open connections now. */
  public int openConnections(String sandboxId) {
    return context.slots().open(sandboxId);
  }

  @Override
  public void close() {
    unixListeners.values().forEach(Channel::close);
    tcpListeners.forEach(Channel::close);
    // Bounded: a stop of the control plane must never hang on the proxy.
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    context.resolver().close();
  }
}
