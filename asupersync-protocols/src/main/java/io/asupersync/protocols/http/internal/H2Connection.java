package io.asupersync.protocols.http.internal;

import io.asupersync.protocols.http.Http2Limits;
import io.asupersync.protocols.tls.TlsInfo;
import io.asupersync.trace.TraceKind;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP/2 connection: builds Netty's frame codec with our limits, tracks the connection's exchanges
 * (a lost connection cancels them all), raises the connection flow-control window, and shuts down
 * gracefully with two GOAWAYs: the first announces it (last stream 2^31-1), the second, after a PING
 * round trip, names the last stream that will be served. Event loop only.
 */
final class H2Connection extends ChannelDuplexHandler {

  /** PING payload of the shutdown round trip. */
  private static final long SHUTDOWN_PING = 0x4153594e43474f41L;
  /** Connection window as a multiple of the stream window: one slow stream must not stall the rest. */
  private static final int CONNECTION_WINDOW_STREAMS = 4;

  private final ServerEngine engine;
  final long id;
  final @Nullable TlsInfo tls;
  private final Http2FrameCodec codec;
  private final Http2MultiplexHandler multiplexer;
  final Set<H2Exchange> exchanges = new HashSet<>();
  private @Nullable ChannelHandlerContext ctx;
  private boolean windowRaised;
  private boolean goingAway;
  private boolean secondGoAwaySent;
  private @Nullable ScheduledFuture<?> pingTimer;

  H2Connection(ServerEngine engine, long id, @Nullable TlsInfo tls) {
    this.engine = engine;
    this.id = id;
    this.tls = tls;
    Http2Limits l = engine.config.http2Limits();
    int windowSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, l.resetWindow().toSeconds()));
    Http2Settings settings =
        new Http2Settings()
            .maxConcurrentStreams(l.maxConcurrentStreams())
            .maxFrameSize(l.maxFrameSize())
            .maxHeaderListSize(l.maxHeaderListBytes())
            .initialWindowSize(l.initialWindowBytes())
            .headerTableSize(l.maxHpackTableBytes());
    this.codec =
        Http2FrameCodecBuilder.forServer()
            .initialSettings(settings)
            .validateHeaders(true)
            .validateRequiredPseudoHeaders(true)
            .decoderEnforceMaxRstFramesPerWindow(l.maxResetsPerWindow(), windowSeconds)
            .encoderEnforceMaxRstFramesPerWindow(l.maxEncoderResetsPerWindow(), windowSeconds)
            .encoderEnforceMaxQueuedControlFrames(l.maxPendingControlFrames())
            .gracefulShutdownTimeoutMillis(engine.config.shutdownTimeout().toMillis())
            .frameLogger(new FrameEvents(engine, id))
            .build();
    this.multiplexer =
        new Http2MultiplexHandler(
            new ChannelInitializer<Http2StreamChannel>() {
              @Override
              protected void initChannel(Http2StreamChannel ch) {
                ch.config().setAutoRead(false);
                ch.pipeline().addLast(new H2StreamHandler(engine, H2Connection.this));
              }
            });
  }

  Http2FrameCodec codec() {
    return codec;
  }

  Http2MultiplexHandler multiplexer() {
    return multiplexer;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (ctx.channel().isActive()) {
      raiseConnectionWindow(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    raiseConnectionWindow(ctx);
    ctx.fireChannelActive();
  }

  private void raiseConnectionWindow(ChannelHandlerContext ctx) {
    if (windowRaised) {
      return;
    }
    windowRaised = true;
    long target = Math.min(Integer.MAX_VALUE, (long) engine.config.http2Limits().initialWindowBytes() * CONNECTION_WINDOW_STREAMS);
    // The codec may already have widened the connection window (it does when our SETTINGS raise the stream
    // window), so the update is measured from the window it actually granted, not from the RFC default.
    int delta = (int) (target - grantedConnectionWindow(ctx));
    if (delta > 0) {
      ctx.writeAndFlush(new DefaultHttp2WindowUpdateFrame(delta));
    }
  }

  private static int grantedConnectionWindow(ChannelHandlerContext ctx) {
    Http2ConnectionHandler codec = ctx.pipeline().get(Http2ConnectionHandler.class);
    if (codec == null) {
      return 65_535;
    }
    Http2Connection connection = codec.connection();
    return connection.local().flowController().windowSize(connection.connectionStream());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Http2PingFrame ping && ping.ack() && ping.content() == SHUTDOWN_PING) {
      secondGoAway();
      ReferenceCountUtil.release(msg);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  /**
   * Starts the graceful close (event loop); idempotent.
   *
   * @param limit the limit that forces it (traced), or null for a server shutdown
   */
  void goAway(@Nullable String limit) {
    ChannelHandlerContext c = ctx;
    if (goingAway || c == null || !c.channel().isActive()) {
      return;
    }
    goingAway = true;
    if (limit != null) {
      engine.trace(TraceKind.LIMIT_EXCEEDED, limit, "HTTP/2", id, 0, "GOAWAY");
    }
    c.write(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR).setExtraStreamIds(Integer.MAX_VALUE));
    c.write(new DefaultHttp2PingFrame(SHUTDOWN_PING));
    c.channel().flush();
    pingTimer = c.executor().schedule(this::secondGoAway, 1, TimeUnit.SECONDS);
  }

  private void secondGoAway() {
    ChannelHandlerContext c = ctx;
    if (secondGoAwaySent || c == null) {
      return;
    }
    secondGoAwaySent = true;
    if (pingTimer != null) {
      pingTimer.cancel(false);
    }
    c.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
    // Netty's graceful close: waits for active streams (bounded by the shutdown timeout), then closes
    c.close();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == ServerEngine.SHUTDOWN_EVENT) {
      goAway(null);
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (pingTimer != null) {
      pingTimer.cancel(false);
    }
    for (H2Exchange ex : new ArrayList<>(exchanges)) {
      ex.clientGone("client disconnected");
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Sits after the multiplexer, so stream errors went to their streams. Protocol errors were answered
    // by the codec (and counted from the frames it sent); I/O errors end the connection, and
    // channelInactive cancels what is in flight.
    if (!(cause instanceof io.netty.handler.codec.http2.Http2Exception)) {
      ctx.close();
    }
  }
}
