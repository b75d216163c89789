package io.asupersync.protocols.websocket;

import io.asupersync.Cx;
import io.asupersync.Waker;
import io.asupersync.protocols.http.HttpHeaders;
import io.asupersync.protocols.websocket.internal.ClientHandshake;
import io.asupersync.protocols.websocket.internal.Handshake;
import io.asupersync.protocols.websocket.internal.WebSocketConnection;
import io.asupersync.trace.TraceBuffer;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * A WebSocket client (RFC 6455) with the same limits, keepalive and close handshake as the server.
 * Frame masks come from the connecting task's {@link Cx#random()} source (for the frames a task sends,
 * that task's source; for pongs and the close frame, a generator seeded from it at connect).
 *
 * <pre>{@code
 * try (WebSocketClient client = WebSocketClient.builder().build()) {
 *   runtime.run(cx -> {
 *     WebSocketSession ws = client.connect(cx, URI.create("ws://127.0.0.1:8080/ws/echo"));
 *     ws.send(cx, "hello");
 *     WebSocketMessage echoed = ws.receive(cx);
 *     ws.close(cx);
 *     return echoed;
 *   });
 * }
 * }</pre>
 *
 * <p>Thread-safe; one client serves any number of connections. {@link #close()} stops its event loop
 * (when it owns one), which ends every connection it made.
 */
public final class WebSocketClient implements AutoCloseable {

  private final EventLoopGroup group;
  private final boolean ownsGroup;
  private final WebSocketLimits limits;
  private final Duration connectTimeout;
  private final List<String> subprotocols;
  private final HttpHeaders headers;
  private final @Nullable SslContext sslContext;
  private final @Nullable TraceBuffer trace;

  private WebSocketClient(Builder b) {
    this.ownsGroup = b.group == null;
    this.group = b.group != null ? b.group : new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    this.limits = b.limits;
    this.connectTimeout = b.connectTimeout;
    this.subprotocols = b.subprotocols;
    this.headers = b.headers;
    this.sslContext = b.sslContext;
    this.trace = b.trace;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Connects to {@code uri} ({@code ws://} or {@code wss://}) and completes the opening handshake, at
   * most the connect timeout (and the caller's budget). Cancelling the caller abandons the attempt and
   * closes its TCP connection.
   *
   * @return the open session; close it with {@link WebSocketSession#close(Cx, int, String)}
   * @throws WebSocketException if the connection fails, times out or the server refuses the upgrade
   */
  public WebSocketSession connect(Cx cx, URI uri) throws WebSocketException {
    String scheme = Objects.requireNonNullElse(uri.getScheme(), "").toLowerCase(Locale.ROOT);
    boolean tls = scheme.equals("wss");
    if (!tls && !scheme.equals("ws")) {
      throw new IllegalArgumentException("not a ws:// or wss:// URI: " + uri);
    }
    String host = uri.getHost();
    if (host == null) {
      throw new IllegalArgumentException("URI has no host: " + uri);
    }
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    String hostHeader = uri.getPort() > 0 ? uri.getRawAuthority() : host;
    SslContext ssl = tls ? sslContext() : null;

    cx.checkpoint();
    ClientHandshake handshake = new ClientHandshake(
        hostHeader, target, Handshake.newKey(cx.random()), headers, subprotocols, limits,
        new SplittableRandom(cx.random().nextLong()), trace);
    Instant deadline = cx.now().plus(connectTimeout);
    ChannelFuture connecting = new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            if (ssl != null) {
              ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc(), host, port));
            }
            ch.pipeline().addLast("websocket-handshake", handshake);
          }
        })
        .connect(host, port);
    CompletableFuture<WebSocketConnection> result = handshake.result();
    connecting.addListener((ChannelFutureListener) f -> {
      if (!f.isSuccess()) {
        result.completeExceptionally(new WebSocketException("cannot connect to " + uri + ": " + f.cause(), f.cause()));
      }
    });
    boolean done = false;
    try {
      Waker waker = cx.waker();
      result.whenComplete((c, e) -> waker.wake());
      while (!result.isDone()) {
        if (!cx.now().isBefore(deadline)) {
          throw new WebSocketException("opening handshake with " + uri + " timed out after " + connectTimeout);
        }
        cx.park(deadline);
        cx.checkpoint();
      }
      WebSocketConnection connection = result.get();
      done = true;
      return connection;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WebSocketException w) {
        throw w;
      }
      throw new WebSocketException("opening handshake with " + uri + " failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WebSocketException("interrupted", e);
    } finally {
      if (!done) {
        connecting.channel().close();
      }
    }
  }

  private SslContext sslContext() throws WebSocketException {
    if (sslContext != null) {
      return sslContext;
    }
    try {
      return SslContextBuilder.forClient().build();
    } catch (SSLException e) {
      throw new WebSocketException("cannot create the default TLS context", e);
    }
  }

  /** Stops the client's own event loop (never one passed to the builder); idempotent. */
  @Override
  public void close() {
    if (ownsGroup) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  /** Configures a {@link WebSocketClient}. */
  public static final class Builder {
    private @Nullable EventLoopGroup group;
    private WebSocketLimits limits = WebSocketLimits.defaults();
    private Duration connectTimeout = Duration.ofSeconds(10);
    private List<String> subprotocols = List.of();
    private HttpHeaders headers = HttpHeaders.empty();
    private @Nullable SslContext sslContext;
    private @Nullable TraceBuffer trace;

    private Builder() {}

    /** Limits of every connection; default {@link WebSocketLimits#defaults()}. */
    public Builder limits(WebSocketLimits value) {
      this.limits = Objects.requireNonNull(value);
      return this;
    }

    /** Time for TCP connect, TLS and the opening handshake together; default 10 s. */
    public Builder connectTimeout(Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("connect timeout must be positive");
      }
      this.connectTimeout = value;
      return this;
    }

    /** Subprotocols offered, in preference order; default none. */
    public Builder subprotocols(List<String> value) {
      this.subprotocols = List.copyOf(value);
      return this;
    }

    /** Extra request headers (an Origin, credentials); default none. */
    public Builder headers(HttpHeaders value) {
      this.headers = Objects.requireNonNull(value);
      return this;
    }

    /** TLS for {@code wss://}; default: the JDK's trust store, TLS 1.2+. */
    public Builder sslContext(SslContext value) {
      this.sslContext = Objects.requireNonNull(value);
      return this;
    }

    /** An NIO event loop group to share (the client will not shut it down); default: a client-owned single thread. */
    public Builder eventLoopGroup(EventLoopGroup value) {
      this.group = Objects.requireNonNull(value);
      return this;
    }

    /** Where protocol errors and limit hits are recorded (a runtime's {@code trace()}); default nowhere. */
    public Builder trace(TraceBuffer value) {
      this.trace = Objects.requireNonNull(value);
      return this;
    }

    public WebSocketClient build() {
      return new WebSocketClient(this);
    }
  }
}
