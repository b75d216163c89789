package io.asupersync.protocols.http.internal;

import io.asupersync.protocols.http.HttpHeaders;
import io.asupersync.protocols.http.RejectionReason;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP/2 exchange and the state of its stream: frames go to the connection's frame codec tagged with
 * the stream, request DATA credit is returned to the peer only while the body queue has room, and
 * streaming writes wait on the stream's flow-control writability. Stream state is event-loop only unless
 * marked volatile.
 */
final class H2Exchange extends Exchange {

  /** Connection-specific fields are forbidden in HTTP/2 (RFC 9113 8.2.2); a handler's are dropped. */
  private static final Set<String> FORBIDDEN =
      Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te");
  /** Streaming chunks handed to the event loop but not yet in the codec: the task waits above this. */
  private static final int MAX_UNSENT = 64 * 1024;

  private final H2Connection connection;
  private final ChannelHandlerContext ctx;
  private final Http2FrameStream stream;
  final BodyQueue body;
  /** Flow-controlled bytes received but not yet returned to the peer (event loop). */
  private int heldCredit;
  /** The body queue is full (or failed): credit is held until the handler reads (event loop). */
  private boolean paused;
  /** The codec closed the stream: nothing more may be written on it. */
  private volatile boolean closed;
  /** The remote flow controller's view: the stream window (and the connection) take more. */
  private volatile boolean streamWritable;
  private final AtomicInteger unsent = new AtomicInteger();

  H2Exchange(
      ServerEngine engine,
      RequestImpl request,
      H2Connection connection,
      ChannelHandlerContext ctx,
      Http2FrameStream stream,
      BodyQueue body) {
    super(engine, request, connection.id);
    this.connection = connection;
    this.ctx = ctx;
    this.stream = stream;
    this.body = body;
    this.streamWritable = connection.isWritable(stream);
  }

  @Override
  Channel channel() {
    return ctx.channel();
  }

  @Override
  boolean writable() {
    return closed || !ctx.channel().isActive() || (streamWritable && unsent.get() < MAX_UNSENT);
  }

  @Override
  String protocolName() {
    return "HTTP/2";
  }

  // ---- event loop: stream events from the connection handler ----

  /** DATA for this stream: into the body queue; its credit goes back while the queue has room. */
  void onData(Http2DataFrame data) {
    if (isComplete()) {
      // the response is out: nobody reads this body; the reset (or the stream's end) closes the stream,
      // and the codec gives a closed stream's unconsumed bytes back to the connection window
      if (!data.isEndStream()) {
        reset(Http2Error.NO_ERROR);
      }
      return;
    }
    heldCredit += data.initialFlowControlledBytes();
    if (data.content().isReadable()) {
      boolean failedBefore = body.isFailed();
      // queued even while paused: the peer can only send what its stream window still allows
      if (!body.offer(data.content())) {
        paused = true;
        if (!failedBefore && body.isFailed()) {
          long max = engine.config.http2Limits().maxBodyBytes();
          engine.reject(RejectionReason.BODY_TOO_LARGE, "HTTP/2", connectionId, stream.id(), "maxBodyBytes=" + max);
        }
      }
    }
    if (!paused) {
      returnCredit();
    }
    if (data.isEndStream()) {
      body.end(HttpHeaders.empty());
    }
  }

  /** The handler drained the body queue below its low mark: the held credit goes back to the peer. */
  void resume() {
    if (!body.isFailed()) {
      paused = false;
      if (returnCredit()) {
        ctx.flush();
      }
    }
  }

  /**
   * Hands the held credit to the frame codec, which sends WINDOW_UPDATE once its threshold is reached.
   * Not flushed: during a read the codec flushes when the read completes.
   *
   * @return whether credit was handed over
   */
  private boolean returnCredit() {
    int credit = heldCredit;
    if (credit <= 0 || closed) {
      return false;
    }
    heldCredit = 0;
    ctx.write(new DefaultHttp2WindowUpdateFrame(credit).stream(stream), ctx.voidPromise());
    return true;
  }

  /** The remote flow controller changed this stream's writability, or the connection's changed. */
  void refreshWritable() {
    boolean now = connection.isWritable(stream);
    streamWritable = now;
    if (now) {
      wakeWriter();
    }
  }

  /** The codec closed the stream (end of both sides, reset, or connection loss). */
  void onClosed() {
    closed = true;
    clientGone("client disconnected");
    wakeWriter();
  }

  // ---- response writes: built on the task thread, written on the event loop ----

  private static Http2Headers fields(HttpHeaders headers, Http2Headers into) {
    for (Map.Entry<String, String> e : headers) {
      if (!FORBIDDEN.contains(e.getKey())) {
        into.add(WireNames.of(e.getKey()), e.getValue());
      }
    }
    return into;
  }

  private static Http2Headers head(int status, HttpHeaders headers) {
    return fields(headers, new DefaultHttp2Headers().status(HttpResponseStatus.valueOf(status).codeAsText()));
  }

  /** Runs {@code write} on the event loop after this exchange's earlier writes, flushed. */
  private void onLoop(Runnable write) {
    connection.onLoop(ctx, write);
  }

  @Override
  void sendFull(int status, HttpHeaders headers, byte[] bytes, HttpHeaders trailers, boolean headOnly) {
    Http2Headers h = head(status, headers);
    boolean noData = headOnly || bytes.length == 0;
    if (headOnly || bytes.length > 0) {
      h.setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    }
    // The frames are built here (task thread) and written in one event-loop step: one hand-over per
    // response instead of one per frame, batched with the other streams' by the connection.
    DefaultHttp2HeadersFrame head = new DefaultHttp2HeadersFrame(h, noData && trailers.isEmpty()).stream(stream);
    DefaultHttp2DataFrame data =
        noData ? null : new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(bytes), trailers.isEmpty()).stream(stream);
    DefaultHttp2HeadersFrame end =
        trailers.isEmpty() ? null : new DefaultHttp2HeadersFrame(fields(trailers, new DefaultHttp2Headers()), true).stream(stream);
    onLoop(() -> writeFull(head, data, end));
  }

  private void writeFull(
      DefaultHttp2HeadersFrame head, @Nullable DefaultHttp2DataFrame data, @Nullable DefaultHttp2HeadersFrame trailers) {
    if (closed) {
      // the stream is gone (reset, connection lost): the codec would take a write on it for a connection error
      if (data != null) {
        data.release();
      }
      done(null);
      return;
    }
    ChannelFuture last = ctx.write(head);
    if (data != null) {
      last = ctx.write(data);
    }
    if (trailers != null) {
      last = ctx.write(trailers);
    }
    done(last);
  }

  @Override
  void sendHead(int status, HttpHeaders headers) {
    DefaultHttp2HeadersFrame frame = new DefaultHttp2HeadersFrame(head(status, headers), false).stream(stream);
    onLoop(() -> {
      if (!closed) {
        ctx.write(frame);
      }
    });
  }

  @Override
  void sendChunk(byte[] bytes) {
    int n = bytes.length;
    unsent.addAndGet(n);
    onLoop(
        () -> {
          if (!closed) {
            ctx.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(bytes), false).stream(stream));
          }
          int left = unsent.addAndGet(-n);
          if (left < MAX_UNSENT && left + n >= MAX_UNSENT) {
            wakeWriter();
          }
        });
  }

  @Override
  void sendEnd(HttpHeaders trailers) {
    onLoop(
        () -> {
          if (closed) {
            done(null);
          } else if (trailers.isEmpty()) {
            done(ctx.write(new DefaultHttp2DataFrame(Unpooled.EMPTY_BUFFER, true).stream(stream)));
          } else {
            done(ctx.write(new DefaultHttp2HeadersFrame(fields(trailers, new DefaultHttp2Headers()), true).stream(stream)));
          }
        });
  }

  @Override
  void abort(boolean cancelled) {
    onLoop(() -> reset(cancelled ? Http2Error.CANCEL : Http2Error.INTERNAL_ERROR));
  }

  /** Resets the stream unless it is closed already (event loop). */
  void reset(Http2Error error) {
    if (!closed) {
      ctx.writeAndFlush(new DefaultHttp2ResetFrame(error).stream(stream));
    }
  }

  private void done(@Nullable ChannelFuture future) {
    if (future == null) {
      finished();
    } else {
      future.addListener(f -> finished());
    }
  }

  private void finished() {
    complete(sentStatus);
    if (!body.isEnded() && body.received() > 0) {
      // answered while the request body was coming: the rest is not wanted (RFC 9113 8.1). A stream
      // with no body yet is left half-closed, so what its peer sends next on it (WINDOW_UPDATE,
      // trailers) is still checked; DATA arriving after the response resets it then (onData).
      reset(Http2Error.NO_ERROR);
    }
  }
}
