package io.asupersync.protocols.http.client;

import io.asupersync.CancelledException;
import io.asupersync.Cx;
import io.asupersync.Waker;
import io.asupersync.protocols.ApplicationProtocol;
import io.asupersync.protocols.internal.Causes;
import io.asupersync.protocols.http.Http1Limits;
import io.asupersync.protocols.http.Http2Limits;
import io.asupersync.protocols.http.client.HttpClientException.Reason;
import io.asupersync.protocols.tls.ClientTls;
import io.asupersync.protocols.tls.TlsInfo;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/** Opens connections: TCP, then TLS with ALPN for https, then the HTTP/1.1 or HTTP/2 pipeline. */
final class Connector {
  private final EventLoopGroup group;
  private final Http1Limits h1;
  private final Http2Limits h2;
  private final ClientTls tls;
  private final boolean cleartextH2;
  private final int connectTimeoutMillis;

  Connector(EventLoopGroup group, Http1Limits h1, Http2Limits h2, ClientTls tls, boolean cleartextH2, Duration connectTimeout) {
    this.group = group;
    this.h1 = h1;
    this.h2 = h2;
    this.tls = tls;
    this.cleartextH2 = cleartextH2;
    this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
  }

  /** What a cleartext origin speaks: HTTP/2 with prior knowledge, or HTTP/1.1. */
  @Nullable ApplicationProtocol knownProtocol(Origin origin) {
    return origin.secure() ? null : cleartextH2 ? ApplicationProtocol.HTTP_2 : ApplicationProtocol.HTTP_1_1;
  }

  Pending connect(Origin origin, Pool.Listener listener) {
    Pending pending = new Pending();
    ChannelFuture connect = new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (origin.secure()) {
              ch.pipeline().addLast(tls.newHandler(ch.alloc(), origin.host(), origin.port()), new Alpn(pending, listener));
            } else if (cleartextH2) {
              pending.complete(H2Connection.install(ch, listener, h1, h2, null));
            } else {
              pending.complete(H1Connection.install(ch, listener, h1, null));
            }
          }
        })
        .connect(origin.host(), origin.port());
    pending.channel = connect.channel();
    connect.addListener(f -> {
      if (!f.isSuccess()) {
        pending.fail(new HttpClientException(
            Reason.CONNECT_FAILED, "cannot connect to " + origin.authority() + ": " + f.cause().getMessage(), f.cause()));
      } else {
        pending.connected();
      }
    });
    return pending;
  }

  /** After the handshake, installs the pipeline for the protocol ALPN agreed on (HTTP/1.1 when none). */
  private final class Alpn extends ApplicationProtocolNegotiationHandler {
    private final Pending pending;
    private final Pool.Listener listener;

    Alpn(Pending pending, Pool.Listener listener) {
      super(ApplicationProtocolNames.HTTP_1_1);
      this.pending = pending;
      this.listener = listener;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
      TlsInfo info = TlsInfo.of(ctx.pipeline().get(SslHandler.class));
      if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
        pending.complete(H2Connection.install(ctx.channel(), listener, h1, h2, info));
      } else if (ApplicationProtocolNames.HTTP_1_1.equals(protocol)) {
        pending.complete(H1Connection.install(ctx.channel(), listener, h1, info));
      } else {
        pending.fail(new HttpClientException(Reason.TLS_HANDSHAKE_FAILED, "server chose an unknown protocol: " + protocol));
        ctx.close();
      }
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
      pending.fail(new HttpClientException(Reason.TLS_HANDSHAKE_FAILED, "TLS handshake failed: " + rootMessage(cause), cause));
      ctx.close();
    }
  }

  /**
   * A TLS alert after the handshake: over TLS 1.3 the server checks a client certificate only after the
   * client finished its side, so a refused (or missing) certificate surfaces here. Null if not TLS.
   */
  static @Nullable HttpClientException tlsFailure(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof javax.net.ssl.SSLException) {
        return new HttpClientException(Reason.TLS_HANDSHAKE_FAILED, "TLS failure: " + rootMessage(cause), cause);
      }
    }
    return null;
  }

  private static String rootMessage(Throwable cause) {
    return String.valueOf(Causes.root(cause).getMessage());
  }

  /**
   * A connection being opened. The event loop completes it; the task that opened it waits in {@link
   * #await}. A cleartext connection is ready once TCP connects; a TLS one once ALPN is settled.
   */
  static final class Pending {
    private final ReentrantLock lock = new ReentrantLock();
    private @Nullable Channel channel;
    // Guarded by lock.
    private @Nullable Connection connection;
    private boolean tcpConnected;
    private @Nullable HttpClientException failure;
    private @Nullable Waker waiter;

    void complete(Connection c) {
      update(() -> connection = c);
    }

    void connected() {
      update(() -> tcpConnected = true);
    }

    void fail(HttpClientException e) {
      update(() -> {
        if (failure == null) {
          failure = e;
        }
      });
    }

    private void update(Runnable change) {
      lock.lock();
      try {
        change.run();
        if (waiter != null) {
          waiter.wake();
        }
      } finally {
        lock.unlock();
      }
    }

    /** The ready connection; on cancellation (including the deadline) the half-open channel is closed. */
    Connection await(Cx cx) throws HttpClientException {
      try {
        while (true) {
          cx.checkpoint();
          lock.lock();
          try {
            if (failure != null) {
              throw new HttpClientException(failure.reason(), failure.getMessage(), failure);
            }
            // The pipeline installs a cleartext connection before TCP connects; it is usable only after.
            if (connection != null && (tcpConnected || connection.tls() != null)) {
              return connection;
            }
            waiter = cx.waker();
          } finally {
            lock.unlock();
          }
          cx.park(null);
        }
      } catch (CancelledException | HttpClientException e) {
        Channel ch = channel;
        if (ch != null) {
          ch.close();
        }
        throw e;
      }
    }
  }
}
