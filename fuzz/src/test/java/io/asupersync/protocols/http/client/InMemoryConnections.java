package io.asupersync.protocols.http.client;

import io.asupersync.CancelledException;
import io.asupersync.Cx;
import io.asupersync.Runtime;
import io.asupersync.protocols.http.Http1Limits;
import io.asupersync.protocols.http.Http2Limits;
import io.asupersync.protocols.internal.NettyFutures;
import io.asupersync.protocols.tls.TlsConfigException;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * For the fuzz module (same package as the client's engine, which is package-private): the client's
 * real HTTP/1.1 and HTTP/2 connection pipelines ({@code H1Connection}, {@code H2Connection} with the
 * configured limits, {@code Exchange}, {@link ClientResponse}), connected over an in-VM channel instead
 * of TCP to a scripted server that answers the request with given bytes and closes. Everything but
 * the pool and the TCP connector is what {@link HttpClient#send} runs; one event loop carries both
 * ends, so an input costs no socket, no accept and no thread hand-off beyond the caller's task.
 */
public final class InMemoryConnections implements AutoCloseable {

  private static final URI URI_ = URI.create("http://fuzz.invalid/");
  private static final Pool.Listener NO_POOL = new Pool.Listener() {
    @Override
    public void released(Connection connection) {}

    @Override
    public void closed(Connection connection) {}
  };

  private final Http1Limits h1;
  private final Http2Limits h2;
  private final HttpClient client;
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
  private final Channel server;
  private volatile byte[] answer = new byte[0];
  private volatile boolean http2;

  public InMemoryConnections(Runtime runtime, Http1Limits h1, Http2Limits h2) {
    this.h1 = h1;
    this.h2 = h2;
    try {
      // only for the ClientResponse's failure traces; it opens no connection
      this.client = HttpClient.builder(runtime).http1Limits(h1).http2Limits(h2).ioThreads(1).build();
    } catch (TlsConfigException e) {
      throw new IllegalStateException(e); // no TLS configured
    }
    this.server = new ServerBootstrap()
        .group(group)
        .channel(LocalServerChannel.class)
        .childHandler(new ChannelInitializer<LocalChannel>() {
          @Override
          protected void initChannel(LocalChannel ch) {
            ch.pipeline().addLast(new ScriptedServer(answer, http2));
          }
        })
        .bind(LocalAddress.ANY)
        .syncUninterruptibly()
        .channel();
  }

  /**
   * Sends a GET over a fresh connection whose server answers with {@code response} (once the request
   * arrived: for HTTP/2, its HEADERS frame, on stream 3: Netty's client codec keeps stream 1 for an
   * h2c upgrade) and closes, reads the whole body and closes the response.
   *
   * @return {@code status N body M}, or {@code error:REASON} for an {@link HttpClientException}
   */
  public String get(Cx cx, boolean http2, byte[] response) {
    answer = response;
    this.http2 = http2;
    Connection[] installed = new Connection[1];
    ChannelFuture connect = new Bootstrap()
        .group(group)
        .channel(LocalChannel.class)
        .handler(new ChannelInitializer<LocalChannel>() {
          @Override
          protected void initChannel(LocalChannel ch) {
            installed[0] = http2 ? H2Connection.install(ch, NO_POOL, h1, h2, null) : H1Connection.install(ch, NO_POOL, h1, null);
          }
        })
        .connect(server.localAddress());
    Channel ch = connect.channel();
    try {
      NettyFutures.await(cx, connect);
      Connection connection = installed[0];
      if (!connect.isSuccess() || connection == null || !connection.tryReserve()) {
        throw new IllegalStateException("in-VM connection failed", connect.cause());
      }
      ClientRequest request = ClientRequest.get(URI_);
      Exchange exchange = new Exchange(h1.maxBodyBytes());
      connection.start(request, Origin.of(URI_), exchange);
      CallTrace trace = new CallTrace("GET", "http", "fuzz.invalid", System.nanoTime(), outcome -> {});
      int status;
      try {
        status = exchange.awaitHeaders(cx);
      } catch (CancelledException e) {
        exchange.cancel("caller cancelled");
        throw e;
      }
      try (ClientResponse r = new ClientResponse(client, exchange, trace, status, connection.protocol(), null)) {
        return "status " + r.status() + " body " + r.bytes(cx).length;
      }
    } catch (HttpClientException e) {
      return "error:" + e.reason();
    } finally {
      ch.close();
    }
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    client.close();
  }

  /**
   * Writes the answer once the request arrived and closes. HTTP/1.1: at the first request byte;
   * HTTP/2: at the client's first HEADERS frame (the preface and SETTINGS come before it, as soon as
   * the connection is up, before the caller started its exchange).
   */
  private static final class ScriptedServer extends ChannelInboundHandlerAdapter {
    private static final int PREFACE_LENGTH = 24;
    private final byte[] answer;
    private final boolean http2;
    private @Nullable ByteBuf seen;
    private boolean answered;

    ScriptedServer(byte[] answer, boolean http2) {
      this.answer = answer;
      this.http2 = http2;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (answered) {
          return;
        }
        if (!http2) {
          answer(ctx);
          return;
        }
        ByteBuf in = (ByteBuf) msg;
        if (seen == null) {
          seen = ctx.alloc().buffer();
        }
        seen.writeBytes(in);
        if (hasHeadersFrame(seen)) {
          answer(ctx);
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    private static boolean hasHeadersFrame(ByteBuf b) {
      int at = b.readerIndex() + PREFACE_LENGTH;
      while (at + 9 <= b.writerIndex()) {
        if (b.getByte(at + 3) == 1) {
          return true;
        }
        at += 9 + b.getUnsignedMedium(at);
      }
      return false;
    }

    private void answer(ChannelHandlerContext ctx) {
      answered = true;
      ctx.writeAndFlush(Unpooled.wrappedBuffer(answer));
      ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      if (seen != null) {
        seen.release();
        seen = null;
      }
    }
  }
}
