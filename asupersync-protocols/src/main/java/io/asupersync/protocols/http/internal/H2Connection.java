package io.asupersync.protocols.http.internal;

import io.asupersync.protocols.http.AsupersyncServer;
import io.asupersync.protocols.http.Http2Limits;
import io.asupersync.protocols.http.HttpHeaders;
import io.asupersync.protocols.http.HttpProtocol;
import io.asupersync.protocols.http.HttpStatusException;
import io.asupersync.protocols.http.RejectionReason;
import io.asupersync.protocols.tls.TlsInfo;
import io.asupersync.trace.TraceKind;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2FrameStreamEvent;
import io.netty.handler.codec.http2.Http2FrameStreamException;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.PlatformDependent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP/2 connection, the one handler after Netty's frame codec: a request's HEADERS start an exchange
 * (a small per-stream state, no child channel), its DATA feeds the exchange's body, RST_STREAM, a stream
 * error or the stream's close cancel it, and a lost connection cancels them all. It also raises the
 * connection flow-control window and shuts down gracefully with two GOAWAYs: the first announces it
 * (last stream 2^31-1), the second, after a PING round trip, names the last stream that will be served.
 * Event loop only.
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
  /** The exchanges of open streams, by stream id; an entry leaves when the codec closes its stream. */
  private final IntObjectHashMap<H2Exchange> streams = new IntObjectHashMap<>();
  private @Nullable ChannelHandlerContext ctx;
  private boolean windowRaised;
  private boolean goingAway;
  private boolean secondGoAwaySent;
  private @Nullable ScheduledFuture<?> pingTimer;
  /** Writes handed over by request tasks, run by one event-loop task per batch (any thread adds). */
  private final Queue<Runnable> fromTasks = PlatformDependent.newMpscQueue();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();

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
  }

  Http2FrameCodec codec() {
    return codec;
  }

  /** Whether the remote flow controller takes more DATA on {@code stream} (event loop). */
  boolean isWritable(Http2FrameStream stream) {
    Http2Connection connection = codec.connection();
    Http2Stream s = connection.stream(stream.id());
    return s != null && connection.remote().flowController().isWritable(s);
  }

  /**
   * Runs {@code write} on the event loop: at once on the loop, otherwise after the writes other tasks
   * handed over before it. A request task's writes all come through here, so they keep their order. One
   * loop task runs every write queued meanwhile and flushes once: under load the responses of a loop
   * pass cost one task and one pass of the codec's flow controller instead of one per response.
   */
  void onLoop(ChannelHandlerContext ctx, Runnable write) {
    if (ctx.executor().inEventLoop()) {
      write.run();
      ctx.flush();
      return;
    }
    fromTasks.offer(write);
    if (drainScheduled.compareAndSet(false, true)) {
      ctx.executor().execute(() -> drainFromTasks(ctx));
    }
  }

  private void drainFromTasks(ChannelHandlerContext ctx) {
    // what arrives while this runs waits for the next task: the loop's other work keeps its turn
    drainScheduled.set(false);
    for (int n = fromTasks.size(); n > 0; n--) {
      Runnable write = fromTasks.poll();
      if (write == null) {
        break;
      }
      write.run();
    }
    ctx.flush();
    if (!fromTasks.isEmpty() && drainScheduled.compareAndSet(false, true)) {
      ctx.executor().execute(() -> drainFromTasks(ctx));
    }
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
    Http2Connection connection = codec.connection();
    int granted = connection.local().flowController().windowSize(connection.connectionStream());
    int delta = (int) (target - granted);
    if (delta > 0) {
      ctx.writeAndFlush(new DefaultHttp2WindowUpdateFrame(delta));
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof Http2DataFrame data) {
        H2Exchange ex = streams.get(data.stream().id());
        if (ex != null) {
          ex.onData(data);
        }
      } else if (msg instanceof Http2HeadersFrame frame) {
        H2Exchange ex = streams.get(frame.stream().id());
        if (ex == null) {
          onHeaders(ctx, frame);
        } else {
          // HEADERS after the request head: trailers, which end the body
          ex.body.end(fields(frame.headers()));
        }
      } else if (msg instanceof Http2ResetFrame reset) {
        H2Exchange ex = streams.get(reset.stream().id());
        if (ex != null) {
          Http2Error error = Http2Error.valueOf(reset.errorCode());
          ex.clientGone("client reset (" + (error == null ? reset.errorCode() : error.name()) + ")");
        }
      } else if (msg instanceof Http2PingFrame ping && ping.ack() && ping.content() == SHUTDOWN_PING) {
        secondGoAway();
      }
      // SETTINGS, PING, WINDOW_UPDATE, PRIORITY, GOAWAY and unknown frames were acted on by the codec
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onHeaders(ChannelHandlerContext ctx, Http2HeadersFrame frame) {
    Http2Headers h = frame.headers();
    Http2FrameStream stream = frame.stream();
    int streamId = stream.id();
    if (streamId == Integer.MAX_VALUE) {
      goAway("STREAM_IDS_EXHAUSTED");
    }
    int maxString = engine.config.http2Limits().maxHpackStringBytes();
    if (longestString(h) > maxString) {
      // The header block was decoded in full, so the connection's HPACK table is consistent and only this
      // stream is refused: a 431 like the header list limit, and the connection goes on.
      engine.reject(RejectionReason.HEADER_LIST_TOO_LARGE, "HTTP/2", id, streamId, "maxHpackStringBytes=" + maxString);
      RequestImpl bare =
          new RequestImpl(
              HttpProtocol.HTTP_2,
              String.valueOf(h.method()),
              "/",
              HttpHeaders.empty(),
              tls != null ? "https" : "http",
              null,
              RequestImpl.inet(ctx.channel().remoteAddress()),
              RequestImpl.inet(ctx.channel().localAddress()),
              tls,
              BodyQueue.empty());
      // an unfinished request body is not wanted: DATA after the 431 resets the stream (NO_ERROR, onData)
      BodyQueue unread = frame.isEndStream() ? BodyQueue.empty() : new BodyQueue(Long.MAX_VALUE, OptionalLong.empty(), () -> {});
      H2Exchange ex = new H2Exchange(engine, bare, this, ctx, stream, unread);
      streams.put(streamId, ex);
      ex.sendError(431, "header field over " + maxString + " bytes");
      return;
    }
    HttpHeaders fields = fields(h);
    long contentLength = -1;
    boolean badLength = false;
    String declared = fields.first("content-length");
    if (declared != null) {
      try {
        contentLength = Long.parseLong(declared.trim());
        badLength = contentLength < 0;
      } catch (NumberFormatException e) {
        badLength = true;
      }
    }
    String method = String.valueOf(h.method());
    String rawPath = String.valueOf(h.path());
    Router.Match match = engine.config.router().match(method, RequestImpl.path(rawPath));
    // a stream route (gRPC) has no deadline and no body total
    boolean streamRoute = match instanceof Router.Found found && found.route().stream();
    long maxBody = streamRoute ? Long.MAX_VALUE : engine.config.http2Limits().maxBodyBytes();
    CharSequence authority = h.authority();
    BodyQueue body =
        frame.isEndStream()
            ? BodyQueue.empty()
            : new BodyQueue(
                maxBody,
                contentLength >= 0 ? OptionalLong.of(contentLength) : OptionalLong.empty(),
                () -> ctx.executor().execute(() -> resume(streamId)));
    RequestImpl request =
        new RequestImpl(
            HttpProtocol.HTTP_2,
            method,
            rawPath,
            fields,
            h.scheme() != null ? h.scheme().toString() : tls != null ? "https" : "http",
            authority != null ? authority.toString() : fields.first("host"),
            RequestImpl.inet(ctx.channel().remoteAddress()),
            RequestImpl.inet(ctx.channel().localAddress()),
            tls,
            body);
    H2Exchange ex = new H2Exchange(engine, request, this, ctx, stream, body);
    streams.put(streamId, ex);
    if (badLength) {
      engine.reject(RejectionReason.MALFORMED_REQUEST, "HTTP/2", id, streamId, "content-length");
      ex.sendError(400, "malformed content-length");
      return;
    }
    if (contentLength > maxBody) {
      engine.reject(RejectionReason.BODY_TOO_LARGE, "HTTP/2", id, streamId, "maxBodyBytes=" + maxBody);
      ex.sendError(413, "request body exceeds " + maxBody + " bytes");
      return;
    }
    Duration timeout = null;
    try {
      if (!streamRoute) {
        timeout = engine.requestTimeout(fields.first(AsupersyncServer.CLIENT_TIMEOUT_HEADER));
      }
    } catch (HttpStatusException e) {
      engine.reject(RejectionReason.MALFORMED_REQUEST, "HTTP/2", id, streamId, AsupersyncServer.CLIENT_TIMEOUT_HEADER);
      ex.sendError(400, String.valueOf(e.getMessage()));
      return;
    }
    engine.dispatch(ex, timeout, match);
  }

  /** The handler of stream {@code streamId} made room in its body queue (event loop). */
  private void resume(int streamId) {
    H2Exchange ex = streams.get(streamId);
    if (ex != null) {
      ex.resume();
    }
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
    if (evt instanceof Http2FrameStreamEvent event) {
      int streamId = event.stream().id();
      if (event.type() == Http2FrameStreamEvent.Type.State) {
        if (event.stream().state() == Http2Stream.State.CLOSED) {
          H2Exchange ex = streams.remove(streamId);
          if (ex != null) {
            ex.onClosed();
          }
        }
      } else {
        H2Exchange ex = streams.get(streamId);
        if (ex != null) {
          ex.refreshWritable();
        }
      }
      return;
    }
    if (evt == ServerEngine.SHUTDOWN_EVENT) {
      goAway(null);
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    // the codec re-evaluates stream writability itself; this catches the streams whose flag it left alone
    for (H2Exchange ex : streams.values()) {
      ex.refreshWritable();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (pingTimer != null) {
      pingTimer.cancel(false);
    }
    for (H2Exchange ex : new ArrayList<>(streams.values())) {
      ex.onClosed();
    }
    streams.clear();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof Http2FrameStreamException e) {
      // A stream error: the codec leaves the reset to the stream's owner, which is us. The exchange has
      // no one left to answer.
      H2Exchange ex = streams.get(e.stream().id());
      if (ex != null) {
        ex.clientGone("stream error");
        ex.reset(e.error());
      } else {
        ctx.writeAndFlush(new DefaultHttp2ResetFrame(e.error()).stream(e.stream()));
      }
      return;
    }
    if (cause.getCause() instanceof SSLException) {
      for (H2Exchange ex : new ArrayList<>(streams.values())) {
        ex.clientGone("stream error");
      }
    }
    // Protocol errors were answered by the codec (and counted from the frames it sent); I/O errors end
    // the connection, and channelInactive cancels what is in flight.
    if (!(cause instanceof Http2Exception)) {
      ctx.close();
    }
  }

  /** The longest decoded name or value (HPACK strings decode to one char per byte). */
  private static int longestString(Http2Headers h) {
    int max = 0;
    for (Map.Entry<CharSequence, CharSequence> e : h) {
      max = Math.max(max, Math.max(e.getKey().length(), e.getValue().length()));
    }
    return max;
  }

  static HttpHeaders fields(Http2Headers h) {
    HttpHeaders.Builder b = HttpHeaders.builder();
    for (Map.Entry<CharSequence, CharSequence> e : h) {
      CharSequence name = e.getKey();
      if (name.length() > 0 && name.charAt(0) != ':') {
        b.add(name.toString(), e.getValue().toString());
      }
    }
    return b.build();
  }
}
