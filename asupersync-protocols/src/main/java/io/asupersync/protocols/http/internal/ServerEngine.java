package io.asupersync.protocols.http.internal;

import io.asupersync.Budget;
import io.asupersync.RegionClosedException;
import io.asupersync.RegionPolicy;
import io.asupersync.Runtime;
import io.asupersync.internal.StripedSet;
import io.asupersync.protocols.http.HttpFilter;
import io.asupersync.protocols.http.HttpHandler;
import io.asupersync.protocols.http.HttpResponse;
import io.asupersync.protocols.http.HttpStatusException;
import io.asupersync.protocols.http.RejectionReason;
import io.asupersync.trace.TraceKind;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** The running server: event loops, bound ports, counters, request dispatch and shutdown. */
public final class ServerEngine {

  /**
   * Fired into every connection's pipeline when the server shuts down; public for handlers that took a
   * connection over through {@link Http1UpgradeHandler} (they close it their own way).
   */
  public static final Object SHUTDOWN_EVENT = new Object() {
    @Override
    public String toString() {
      return "ServerShutdown";
    }
  };

  final ServerConfig config;
  final Runtime runtime;
  private final EnumMap<RejectionReason, LongAdder> rejections = new EnumMap<>(RejectionReason.class);
  private final AtomicLong connectionIds = new AtomicLong();
  final ChannelGroup connections = new DefaultChannelGroup("asupersync-connections", GlobalEventExecutor.INSTANCE);
  private final StripedSet<Exchange> inFlight = new StripedSet<>();
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Class<? extends ServerChannel> serverChannelType;
  private @Nullable Channel cleartextChannel;
  private @Nullable Channel tlsChannel;
  private volatile boolean shuttingDown;
  private @Nullable Boolean shutdownResult;

  private ServerEngine(ServerConfig config) {
    this.config = config;
    this.runtime = config.runtime();
    for (RejectionReason r : RejectionReason.values()) {
      rejections.put(r, new LongAdder());
    }
    boolean epoll = config.nativeTransport() && Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.boss = new MultiThreadIoEventLoopGroup(1, io);
    this.workers = new MultiThreadIoEventLoopGroup(config.ioThreads(), io);
    this.serverChannelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  public static ServerEngine start(ServerConfig config) {
    ServerEngine engine = new ServerEngine(config);
    try {
      if (config.cleartextPort() >= 0) {
        engine.cleartextChannel = engine.bind(config.cleartextPort(), null);
      }
      Supplier<SslContext> tls = config.tlsContext();
      if (config.tlsPort() >= 0 && tls != null) {
        engine.tlsChannel = engine.bind(config.tlsPort(), tls);
      }
    } catch (RuntimeException e) {
      engine.stopLoops();
      throw e;
    }
    return engine;
  }

  private Channel bind(int port, @Nullable Supplier<SslContext> tls) {
    ServerBootstrap b =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(serverChannelType)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    initConnection(ch, tls);
                  }
                });
    InetSocketAddress address =
        config.bindAddress() == null
            ? new InetSocketAddress(port)
            : new InetSocketAddress(config.bindAddress(), port);
    var future = b.bind(address).awaitUninterruptibly();
    if (!future.isSuccess()) {
      Throwable cause = future.cause();
      SocketException e = new SocketException("cannot bind " + address + ": " + cause);
      e.initCause(cause);
      throw new UncheckedIOException(e);
    }
    return future.channel();
  }

  /**
   * Sets up the pipeline of an accepted connection: TLS and ALPN when {@code tls} is given, else the
   * preface sniffer that picks HTTP/1.1 or h2c. Public so the fuzz module can drive the real pipeline
   * over in-memory channels; not application API.
   */
  public void initConnection(Channel ch, @Nullable Supplier<SslContext> tls) {
    if (shuttingDown) {
      ch.close();
      return;
    }
    connections.add(ch);
    long id = connectionIds.incrementAndGet();
    if (tls == null) {
      ch.pipeline().addLast("sniff", new PrefaceSniffer(this, id));
    } else {
      ch.pipeline().addLast("tls", tls.get().newHandler(ch.alloc()));
      ch.pipeline().addLast("alpn", new AlpnHandler(this, id));
    }
  }

  public int cleartextPort() {
    return port(cleartextChannel);
  }

  public int tlsPort() {
    return port(tlsChannel);
  }

  private static int port(@Nullable Channel ch) {
    return ch == null ? -1 : ((InetSocketAddress) ch.localAddress()).getPort();
  }

  public Map<RejectionReason, Long> rejections() {
    EnumMap<RejectionReason, Long> copy = new EnumMap<>(RejectionReason.class);
    rejections.forEach((k, v) -> copy.put(k, v.sum()));
    return Collections.unmodifiableMap(copy);
  }

  public int inFlight() {
    return inFlight.size();
  }

  boolean isShuttingDown() {
    return shuttingDown;
  }

  // ---- tracing and counters

  /** Counts a rejection and traces it; {@code detail} names the limit or rule, never a header value. */
  void reject(RejectionReason reason, String protocol, long connection, int stream, String detail) {
    rejections.get(reason).increment();
    trace(reason.isLimit() ? TraceKind.LIMIT_EXCEEDED : TraceKind.PROTOCOL_ERROR, reason.name(), protocol, connection, stream, detail);
  }

  /** Traces a protocol event that is not a rejection (a limit reached in normal operation). */
  void trace(TraceKind kind, String reason, String protocol, long connection, int stream, String detail) {
    Map<String, String> attrs =
        stream > 0
            ? Map.of("protocol", protocol, "reason", reason, "connection", Long.toString(connection), "stream", Integer.toString(stream), "limit", detail)
            : Map.of("protocol", protocol, "reason", reason, "connection", Long.toString(connection), "limit", detail);
    runtime.trace().record(kind, 0, 0, 0, attrs);
  }

  void access(Exchange ex, int status) {
    long micros = (System.nanoTime() - ex.startNanos) / 1000;
    runtime
        .trace()
        .record(
            TraceKind.ACCESS,
            ex.taskId,
            ex.regionId,
            0,
            Map.of(
                "protocol", ex.protocolName(),
                "method", ex.request.method(),
                "route", ex.request.route(),
                "status", statusText(status),
                "durationMicros", Long.toString(micros)));
  }

  /** The decimal text of every valid status code, so the access event of a request formats none. */
  private static final String[] STATUS_TEXT = new String[600];

  static {
    for (int i = 100; i < STATUS_TEXT.length; i++) {
      STATUS_TEXT[i] = Integer.toString(i);
    }
  }

  private static String statusText(int status) {
    String text = status >= 100 && status < STATUS_TEXT.length ? STATUS_TEXT[status] : null;
    return text != null ? text : Integer.toString(status);
  }

  // ---- requests

  /**
   * The request budget from the client's timeout header: the default timeout met with the client's
   * value capped by the configured maximum.
   *
   * @throws HttpStatusException 400 when the value is not 1 to 9 decimal digits
   */
  Duration requestTimeout(@Nullable String header) throws HttpStatusException {
    Duration timeout = config.defaultTimeout();
    if (header == null) {
      return timeout;
    }
    String v = header.trim();
    if (v.isEmpty() || v.length() > 9 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new HttpStatusException(400, "request-timeout must be 1 to 9 decimal digits (milliseconds)");
    }
    Duration client = Duration.ofMillis(Long.parseLong(v));
    if (client.compareTo(config.maxClientTimeout()) > 0) {
      client = config.maxClientTimeout();
    }
    return client.compareTo(timeout) < 0 ? client : timeout;
  }

  /**
   * Starts the request's task: a root task whose scope is the request region, with the request budget
   * (none for a {@code null} timeout: stream routes), filters around the routed handler, the response
   * written from inside the region, the outcome mapped on the task's thread once the region closed.
   */
  void dispatch(Exchange ex, @Nullable Duration timeout) {
    dispatch(ex, timeout, config.router().match(ex.request.method(), ex.request.path()));
  }

  /** As {@link #dispatch(Exchange, Duration)}, for a request whose route was matched already. */
  void dispatch(Exchange ex, @Nullable Duration timeout, Router.Match match) {
    RequestImpl request = ex.request;
    HttpHandler terminal = terminal(match, request);
    HttpHandler chain = terminal;
    List<HttpFilter> filters = config.filters();
    for (int i = filters.size() - 1; i >= 0; i--) {
      HttpFilter f = filters.get(i);
      HttpHandler next = chain;
      chain = (cx, r) -> f.filter(cx, r, next);
    }
    HttpHandler handler = chain;
    int stripe = inFlight.add(ex);
    try {
      ex.task(
          runtime.spawn(
              match instanceof Router.Found found
                  ? found.route().taskName(request.method())
                  : Router.taskName(request.method(), request.route()),
              RegionPolicy.FAIL_FAST,
              timeout == null ? Budget.unlimited() : Budget.timeout(runtime.clock().now(), timeout),
              inner -> {
                ex.taskId = inner.taskId();
                ex.regionId = inner.regionId();
                HttpResponse response = handler.handle(inner, request);
                ex.respond(inner, Objects.requireNonNull(response, "handler returned null"));
                return null;
              },
              outcome -> {
                try {
                  ex.finish(outcome);
                } finally {
                  inFlight.remove(ex, stripe);
                }
              }));
    } catch (RegionClosedException e) {
      inFlight.remove(ex, stripe);
      reject(RejectionReason.SHUTTING_DOWN, ex.protocolName(), ex.connectionId, 0, "runtime shutting down");
      ex.sendError(503, "server shutting down");
    }
  }

  private static HttpHandler terminal(Router.Match match, RequestImpl request) {
    return switch (match) {
      case Router.Found found -> {
        request.route(found.route().pattern(), found.params());
        yield found.route().handler();
      }
      case Router.NotFound nf -> (cx, r) -> HttpResponse.text(404, "not found");
      case Router.MethodNotAllowed na ->
          (cx, r) ->
              HttpResponse.status(405)
                  .header("allow", String.join(", ", na.allowed()))
                  .body("method not allowed")
                  .build();
      case Router.BadPath bp -> (cx, r) -> HttpResponse.text(400, "malformed path");
    };
  }

  // ---- shutdown

  public synchronized boolean shutdown() {
    if (shutdownResult != null) {
      return shutdownResult;
    }
    shuttingDown = true;
    long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
    for (Channel server : new Channel[] {cleartextChannel, tlsChannel}) {
      if (server != null) {
        server.close().awaitUninterruptibly();
      }
    }
    for (Channel ch : connections) {
      ch.eventLoop().execute(() -> ch.pipeline().fireUserEventTriggered(SHUTDOWN_EVENT));
    }
    boolean clean = connections.newCloseFuture().awaitUninterruptibly(remainingMillis(deadline), TimeUnit.MILLISECONDS);
    if (!clean) {
      for (Exchange ex : inFlight.toList()) {
        ex.cancelForShutdown();
      }
      connections.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
    stopLoops();
    shutdownResult = clean;
    return clean;
  }

  private static long remainingMillis(long deadlineNanos) {
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }

  private void stopLoops() {
    var a = boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    var b = workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    a.awaitUninterruptibly(5, TimeUnit.SECONDS);
    b.awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
