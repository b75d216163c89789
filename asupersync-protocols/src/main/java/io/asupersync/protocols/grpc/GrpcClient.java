package io.asupersync.protocols.grpc;

import io.asupersync.CancelledException;
import io.asupersync.Cx;
import io.asupersync.protocols.client.CallOutcome;
import io.asupersync.protocols.client.ClientCallObserver;
import io.asupersync.protocols.client.OutgoingCall;
import io.asupersync.protocols.grpc.internal.GrpcHeaders;
import io.asupersync.protocols.grpc.internal.GrpcTimeout;
import io.asupersync.protocols.http.Http2Limits;
import io.asupersync.protocols.http.HttpHeaders;
import io.asupersync.protocols.internal.NettyFutures;
import io.asupersync.trace.TraceBuffer;
import io.asupersync.trace.TraceKind;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A gRPC client over one HTTP/2 connection (h2c with prior knowledge, or TLS with ALPN {@code h2}),
 * opened on the first call and reopened after it closes or the server sends GOAWAY.
 *
 * <pre>{@code
 * try (GrpcClient client = GrpcClient.builder("localhost", 8080).build()) {
 *   HelloReply reply = runtime.run(cx -> client.unary(cx, GreeterMethods.SAY_HELLO, request)).orThrow();
 * }
 * }</pre>
 *
 * <p><b>Deadlines and cancellation.</b> A call sends the caller's remaining time ({@code
 * cx.budget().deadline()}) as {@code grpc-timeout}, and a caller that is cancelled while it waits (its
 * deadline passing included) resets the call with {@code RST_STREAM(CANCEL)}, so the server cancels
 * the handler's region. Give one call a deadline with a scope: {@code cx.scope(FAIL_FAST,
 * Budget.timeout(cx.now(), Duration.ofSeconds(2)), c -> client.unary(c, method, request))}.
 *
 * <p><b>Status → Outcome.</b> Run inside a task or scope, a call ends its Outcome as: {@code Ok} for
 * {@code OK}; {@code Err(GrpcStatusException)} for any other status the server sent or the client
 * detected (limits, a lost connection); {@code Cancelled} with the caller's reason when the caller was
 * cancelled, {@code DEADLINE} when its own deadline passed (so a server relaying that outcome answers
 * {@code DEADLINE_EXCEEDED}).
 *
 * <p><b>Observer.</b> The {@link Builder#observer ClientCallObserver} sees each call start (and may add
 * metadata to it: a {@code traceparent}) and end: with the call's status ({@link CallOutcome.GrpcStatus}),
 * or {@link CallOutcome.Cancelled} when the caller was cancelled or its deadline passed while it waited.
 *
 * <p>Thread-safe; calls from many tasks share the connection (one HTTP/2 stream each).
 */
public final class GrpcClient implements AutoCloseable {

  static final String USER_AGENT = "asupersync-grpc-java/0.1";

  private final String host;
  private final int port;
  private final String authority;
  private final @Nullable SslContext sslContext;
  private final GrpcLimits limits;
  private final Http2Limits http2Limits;
  private final boolean gzipRequests;
  private final Duration connectTimeout;
  private final EventLoopGroup group;
  private final boolean ownsGroup;
  private final @Nullable TraceBuffer trace;
  private final ClientCallObserver observer;

  private final ReentrantLock connectLock = new ReentrantLock();
  // Guarded by connectLock.
  private @Nullable Connection connection;
  private boolean closed;

  private GrpcClient(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.authority = b.authority != null ? b.authority : b.host + ":" + b.port;
    this.sslContext = b.sslContext;
    this.limits = b.limits;
    this.http2Limits = b.http2Limits;
    this.gzipRequests = b.gzipRequests;
    this.connectTimeout = b.connectTimeout;
    this.ownsGroup = b.group == null;
    this.group = b.group != null ? b.group : new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    this.trace = b.trace;
    this.observer = b.observer;
  }

  public static Builder builder(String host, int port) {
    return new Builder(host, port);
  }

  /** {@link #unary(Cx, MethodDescriptor, Object, HttpHeaders)} without metadata. */
  public <Req, Resp> Resp unary(Cx cx, MethodDescriptor<Req, Resp> method, Req request) throws GrpcStatusException {
    return unary(cx, method, request, HttpHeaders.empty());
  }

  /**
   * Makes a call that sends one request and expects one response (any shape works; the server must
   * answer exactly one message).
   *
   * @throws GrpcStatusException when the call ends with a status other than OK, or OK without exactly
   *     one response ({@code INTERNAL})
   * @throws CancelledException when the caller is cancelled first; the call is reset
   */
  public <Req, Resp> Resp unary(Cx cx, MethodDescriptor<Req, Resp> method, Req request, HttpHeaders metadata)
      throws GrpcStatusException {
    try (ClientCall<Req, Resp> call = open(cx, method, metadata, false)) {
      call.sendLast(cx, request);
      Resp response = call.next(cx);
      if (response == null) {
        throw new GrpcStatusException(StatusCode.INTERNAL, "the server finished without a response");
      }
      if (call.next(cx) != null) {
        throw new GrpcStatusException(StatusCode.INTERNAL, "the server sent more than one response");
      }
      return response;
    }
  }

  /** {@link #start(Cx, MethodDescriptor, HttpHeaders)} without metadata. */
  public <Req, Resp> ClientCall<Req, Resp> start(Cx cx, MethodDescriptor<Req, Resp> method) throws GrpcStatusException {
    return start(cx, method, HttpHeaders.empty());
  }

  /**
   * Starts a call of any shape and sends its headers now. Send requests with {@link ClientCall#send},
   * end them with {@link ClientCall#halfClose}, read with {@link ClientCall#next}; close it (try with
   * resources) so an unfinished call is reset.
   *
   * @param metadata custom metadata; names follow gRPC's rules (lower case, {@code -bin} values in
   *     base64) and may not be reserved ones ({@code grpc-*}, pseudo-headers, {@code content-type}, ...)
   * @throws GrpcStatusException {@code UNAVAILABLE} when no connection can be made; {@code
   *     DEADLINE_EXCEEDED} when the caller's deadline has already passed
   * @throws IllegalArgumentException if {@code metadata} holds a name an application may not set
   */
  public <Req, Resp> ClientCall<Req, Resp> start(Cx cx, MethodDescriptor<Req, Resp> method, HttpHeaders metadata)
      throws GrpcStatusException {
    return open(cx, method, metadata, true);
  }

  private <Req, Resp> ClientCall<Req, Resp> open(Cx cx, MethodDescriptor<Req, Resp> method, HttpHeaders metadata, boolean flush)
      throws GrpcStatusException {
    cx.checkpoint();
    String scheme = sslContext != null ? "https" : "http";
    HttpHeaders.Builder added = HttpHeaders.builder();
    ClientCallObserver.Call observed = observer.start(new OutgoingCall(
        OutgoingCall.Protocol.GRPC, method.fullName(), scheme, authority, method.path(), (name, value) -> {
          if (!GrpcHeaders.isApplicationMetadataName(name)) {
            throw new IllegalArgumentException("'" + name + "' is not an application metadata name");
          }
          added.add(name, value);
        }));
    try {
      String timeout = null;
      Duration left = cx.budget().remainingTime(cx.now());
      if (left != null) {
        if (left.isZero()) {
          cx.checkpoint(); // the deadline passed: this turns it into the caller's cancellation
          throw new GrpcStatusException(StatusCode.DEADLINE_EXCEEDED, "deadline passed before the call started");
        }
        timeout = GrpcTimeout.encode(left);
      }
      Http2Headers headers = ClientHeaders.request(method, scheme, authority, timeout, metadata, gzipRequests);
      ClientHeaders.forEachMetadata(added.build(), headers::add);
      Channel channel = connection(cx);
      ClientCall<Req, Resp> call = new ClientCall<>(this, method, channel, limits, observed);
      call.open(channel, headers, flush);
      return call;
    } catch (GrpcStatusException e) {
      callEnded(method, observed, new CallOutcome.GrpcStatus(e.status()));
      throw e;
    } catch (CancelledException e) {
      callEnded(method, observed, new CallOutcome.Cancelled(e.reason()));
      throw e;
    } catch (RuntimeException e) {
      callEnded(method, observed, new CallOutcome.Failed(e));
      throw e;
    }
  }

  @Override
  public void close() {
    Connection c;
    connectLock.lock();
    try {
      closed = true;
      c = connection;
      connection = null;
    } finally {
      connectLock.unlock();
    }
    Channel channel = c == null ? null : c.channel;
    if (channel != null) {
      channel.close();
    }
    if (ownsGroup) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  // ---- for ClientCall

  ByteBufAllocator allocator() {
    return ByteBufAllocator.DEFAULT;
  }

  boolean gzipRequests() {
    return gzipRequests;
  }

  /** Tells the observer, then records the trace event (with the observer's attributes). */
  void callEnded(MethodDescriptor<?, ?> method, ClientCallObserver.Call observed, CallOutcome outcome) {
    try {
      observed.end(outcome);
    } catch (RuntimeException e) {
      // The observer's failure is not the call's; see ClientCallObserver.
    }
    TraceBuffer t = trace;
    if (t != null) {
      Map<String, String> attributes = new HashMap<>(observed.traceAttributes());
      attributes.put("protocol", "grpc");
      attributes.put("operation", method.fullName());
      attributes.put("result", switch (outcome) {
        case CallOutcome.GrpcStatus s -> s.status().code().name();
        case CallOutcome.Cancelled c -> "cancelled:" + c.reason().kind();
        case CallOutcome.Failed f -> f.error().getClass().getSimpleName();
        case CallOutcome.HttpStatus h -> Integer.toString(h.status());
      });
      t.record(TraceKind.CLIENT_CALL, 0, 0, 0, attributes);
    }
  }

  // ---- connection

  /** The open connection, connecting (and waiting, cancellably) when there is none. */
  private Channel connection(Cx cx) throws GrpcStatusException {
    Connection c;
    connectLock.lock();
    try {
      if (closed) {
        throw new GrpcStatusException(StatusCode.UNAVAILABLE, "client is closed");
      }
      c = connection;
      if (c == null || c.isDead()) {
        c = connect();
        connection = c;
      }
    } finally {
      connectLock.unlock();
    }
    NettyFutures.await(cx, c.ready);
    if (!c.ready.isSuccess()) {
      connectLock.lock();
      try {
        if (connection == c) {
          connection = null;
        }
      } finally {
        connectLock.unlock();
      }
      throw new GrpcStatusException(StatusCode.UNAVAILABLE, "cannot connect to " + authority + ": " + c.ready.cause());
    }
    return Objects.requireNonNull(c.channel);
  }

  private Connection connect() {
    Connection c = new Connection();
    ChannelFuture connect =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    c.initPipeline(ch);
                  }
                })
            .connect(host, port);
    c.channel = connect.channel();
    connect.addListener(
        f -> {
          if (!f.isSuccess()) {
            c.ready.tryFailure(f.cause());
          } else if (sslContext == null) {
            c.ready.trySuccess(null);
          }
        });
    return c;
  }

  /** One HTTP/2 connection and the promise that it is ready for streams. */
  private final class Connection {
    final Promise<@Nullable Void> ready = ImmediateEventExecutor.INSTANCE.newPromise();
    volatile @Nullable Channel channel;
    volatile boolean goAway;

    boolean isDead() {
      Channel ch = channel;
      return goAway || (ready.isDone() && (!ready.isSuccess() || ch == null || !ch.isActive()));
    }

    void initPipeline(SocketChannel ch) {
      channel = ch;
      if (sslContext != null) {
        SslHandler ssl = sslContext.newHandler(ch.alloc(), host, port);
        ch.pipeline().addLast(ssl);
        ssl.handshakeFuture().addListener(f -> {
          if (!f.isSuccess()) {
            ready.tryFailure(f.cause());
          } else if (!ApplicationProtocolNames.HTTP_2.equals(ssl.applicationProtocol())) {
            ready.tryFailure(new IllegalStateException("server did not negotiate h2 (ALPN " + ssl.applicationProtocol() + ")"));
            ch.close();
          } else {
            ready.trySuccess(null);
          }
        });
      }
      Http2Settings settings =
          Http2Settings.defaultSettings()
              .pushEnabled(false)
              .initialWindowSize(http2Limits.initialWindowBytes())
              .maxFrameSize(http2Limits.maxFrameSize())
              .maxHeaderListSize(http2Limits.maxHeaderListBytes());
      Http2FrameCodec codec =
          Http2FrameCodecBuilder.forClient()
              .initialSettings(settings)
              .encoderEnforceMaxConcurrentStreams(true)
              .validateHeaders(true)
              .build();
      ch.pipeline().addLast(codec);
      ch.pipeline().addLast(new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
      ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
          // After the codec sent its preface: a connection window as large as a stream's, so that
          // concurrent calls are not paced by the protocol's 64 KiB default.
          ctx.write(new DefaultHttp2WindowUpdateFrame(Math.max(1, http2Limits.initialWindowBytes() - 65_535)));
          super.channelActive(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
          if (msg instanceof Http2GoAwayFrame) {
            goAway = true;
          }
          ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
          ctx.close();
        }
      });
    }
  }

  /** Configures a {@link GrpcClient}. */
  public static final class Builder {
    private final String host;
    private final int port;
    private @Nullable String authority;
    private @Nullable SslContext sslContext;
    private GrpcLimits limits = GrpcLimits.defaults();
    private Http2Limits http2Limits = Http2Limits.defaults();
    private boolean gzipRequests;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private @Nullable EventLoopGroup group;
    private @Nullable TraceBuffer trace;
    private ClientCallObserver observer = ClientCallObserver.none();

    private Builder(String host, int port) {
      this.host = Objects.requireNonNull(host, "host");
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
    }

    /** The {@code :authority} sent; default {@code host:port}. */
    public Builder authority(String value) {
      this.authority = Objects.requireNonNull(value, "authority");
      return this;
    }

    /** Connect over TLS with this context (its ALPN must offer {@code h2}); default cleartext h2c. */
    public Builder tls(SslContext context) {
      this.sslContext = Objects.requireNonNull(context, "context");
      return this;
    }

    public Builder limits(GrpcLimits value) {
      this.limits = Objects.requireNonNull(value, "limits");
      return this;
    }

    public Builder http2Limits(Http2Limits value) {
      this.http2Limits = Objects.requireNonNull(value, "http2Limits");
      return this;
    }

    /** Whether requests are sent gzip-compressed ({@code grpc-encoding: gzip}); default false. */
    public Builder gzipRequests(boolean value) {
      this.gzipRequests = value;
      return this;
    }

    public Builder connectTimeout(Duration value) {
      this.connectTimeout = Objects.requireNonNull(value, "connectTimeout");
      return this;
    }

    /** Run the connection on this group (not shut down by {@link GrpcClient#close}); default a private one-thread group. */
    public Builder eventLoopGroup(EventLoopGroup value) {
      this.group = Objects.requireNonNull(value, "group");
      return this;
    }

    /**
     * Record a {@code CLIENT_CALL} trace event for every finished call: {@code protocol}, {@code
     * operation}, {@code result} (the status code, or {@code cancelled:KIND} when the caller gave up),
     * plus the observer's trace attributes.
     */
    public Builder trace(TraceBuffer value) {
      this.trace = Objects.requireNonNull(value, "trace");
      return this;
    }

    /** Sees each call start and end, and may add metadata to it; default {@link ClientCallObserver#none()}. */
    public Builder observer(ClientCallObserver value) {
      this.observer = Objects.requireNonNull(value, "observer");
      return this;
    }

    public GrpcClient build() {
      return new GrpcClient(this);
    }
  }
}
