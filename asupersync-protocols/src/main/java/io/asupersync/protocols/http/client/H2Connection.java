package io.asupersync.protocols.http.client;

import io.asupersync.protocols.ApplicationProtocol;
import io.asupersync.protocols.http.Http1Limits;
import io.asupersync.protocols.http.Http2Limits;
import io.asupersync.protocols.http.HttpHeaders;
import io.asupersync.protocols.http.client.HttpClientException.Reason;
import io.asupersync.protocols.tls.TlsInfo;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** HTTP/2: many exchanges at once, one stream each, up to the server's SETTINGS_MAX_CONCURRENT_STREAMS. */
final class H2Connection extends ChannelInboundHandlerAdapter implements Connection {

  private final Channel channel;
  private final Http2FrameCodec codec;
  private final Http2StreamChannelBootstrap streams;
  private final Pool.Listener pool;
  private final Http1Limits h1;
  private final Http2Limits h2;
  private final @Nullable TlsInfo tls;
  private final AtomicInteger active = new AtomicInteger();
  private volatile boolean goingAway;
  /** Why the connection failed, so the streams it takes down can say so. */
  private volatile @Nullable Throwable connectionError;

  private H2Connection(Channel channel, Http2FrameCodec codec, Pool.Listener pool, Http1Limits h1, Http2Limits h2, @Nullable TlsInfo tls) {
    this.channel = channel;
    this.codec = codec;
    this.streams = new Http2StreamChannelBootstrap(channel);
    this.pool = pool;
    this.h1 = h1;
    this.h2 = h2;
    this.tls = tls;
  }

  /** Adds the frame codec, the stream multiplexer and this handler; call on the event loop. */
  static H2Connection install(Channel channel, Pool.Listener pool, Http1Limits h1, Http2Limits h2, @Nullable TlsInfo tls) {
    Http2FrameCodec codec = Http2FrameCodecBuilder.forClient()
        .initialSettings(Http2Settings.defaultSettings()
            .pushEnabled(false)
            .maxHeaderListSize(h2.maxHeaderListBytes())
            .maxFrameSize(h2.maxFrameSize())
            .initialWindowSize(h2.initialWindowBytes())
            .headerTableSize(h2.maxHpackTableBytes()))
        .validateHeaders(true)
        .decoderEnforceMaxRstFramesPerWindow(h2.maxResetsPerWindow(), (int) h2.resetWindow().toSeconds())
        .encoderEnforceMaxRstFramesPerWindow(h2.maxEncoderResetsPerWindow(), (int) h2.resetWindow().toSeconds())
        .encoderEnforceMaxQueuedControlFrames(h2.maxPendingControlFrames())
        .build();
    H2Connection connection = new H2Connection(channel, codec, pool, h1, h2, tls);
    // Push is off, so the server opens no streams: the inbound stream handler only closes strays.
    channel.pipeline().addLast(codec, new Http2MultiplexHandler(new ChannelInboundHandlerAdapter() {
      @Override
      public void channelActive(ChannelHandlerContext ctx) {
        ctx.close();
      }
    }), connection);
    return connection;
  }

  @Override
  public ApplicationProtocol protocol() {
    return ApplicationProtocol.HTTP_2;
  }

  /** The server's SETTINGS_MAX_CONCURRENT_STREAMS (unbounded until its SETTINGS arrive), capped by our own limit. */
  private int maxStreams() {
    return Math.min(codec.connection().local().maxActiveStreams(), h2.maxConcurrentStreams());
  }

  @Override
  public boolean tryReserve() {
    while (true) {
      int n = active.get();
      if (goingAway || !channel.isActive() || n >= maxStreams()) {
        return false;
      }
      if (active.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  @Override
  public void start(ClientRequest request, Origin origin, Exchange exchange) {
    streams.open().addListener((Future<Http2StreamChannel> opened) -> {
      if (!opened.isSuccess()) {
        Throwable cause = connectionError;
        exchange.fail(cause != null
            ? streamFailure(cause)
            : new HttpClientException(Reason.CONNECTION_CLOSED, "could not open a stream", opened.cause()));
        streamDone();
        return;
      }
      Http2StreamChannel stream = opened.getNow();
      stream.pipeline().addLast(new StreamHandler(exchange));
      // Closing an open stream channel sends RST_STREAM(CANCEL).
      exchange.bind(stream, stream::close);
      byte[] body = request.bodyUnsafe();
      Http2Headers headers = new DefaultHttp2Headers()
          .method(request.method())
          .scheme(origin.scheme())
          .authority(origin.authority())
          .path(request.pathAndQuery());
      for (Map.Entry<String, String> field : request.headers()) {
        headers.add(field.getKey(), field.getValue());
      }
      if (body.length > 0 || !request.isIdempotent()) {
        headers.setInt("content-length", body.length);
      }
      stream.write(new DefaultHttp2HeadersFrame(headers, body.length == 0));
      if (body.length > 0) {
        stream.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(body), true));
      }
      stream.flush();
    });
  }

  private void streamDone() {
    active.decrementAndGet();
    pool.released(this);
  }

  /** Feeds one stream's frames into its exchange. Runs on the connection's event loop. */
  private final class StreamHandler extends ChannelInboundHandlerAdapter {
    private final Exchange exchange;
    private boolean headersSeen;
    private boolean ended;

    StreamHandler(Exchange exchange) {
      this.exchange = exchange;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof Http2HeadersFrame frame) {
          onHeaders(ctx, frame);
        } else if (msg instanceof Http2DataFrame frame) {
          if (!headersSeen) {
            fail(ctx, new HttpClientException(Reason.MALFORMED_RESPONSE, "DATA before the response headers"));
          } else if (!exchange.data(frame.content())) {
            ctx.close();
          } else if (frame.isEndStream()) {
            end(HttpHeaders.empty());
          }
        } else if (msg instanceof Http2ResetFrame reset) {
          Http2Error error = Http2Error.valueOf(reset.errorCode());
          exchange.fail(new HttpClientException(
              Reason.STREAM_RESET, "server reset the stream: " + (error == null ? reset.errorCode() : error)));
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    private void onHeaders(ChannelHandlerContext ctx, Http2HeadersFrame frame) {
      Http2Headers headers = frame.headers();
      if (headersSeen) {
        // a second HEADERS is the trailer block and must end the stream
        if (!frame.isEndStream()) {
          fail(ctx, new HttpClientException(Reason.MALFORMED_RESPONSE, "HEADERS after the response without END_STREAM"));
          return;
        }
        end(convert(headers));
        return;
      }
      int status;
      try {
        CharSequence value = headers.status();
        status = value == null || value.length() != 3 ? -1 : Integer.parseInt(value.toString());
      } catch (NumberFormatException e) {
        status = -1;
      }
      if (status < 100 || status > 599) {
        // RFC 9110 section 15: three digits, 100..599 (the parse above takes any three digits)
        fail(ctx, new HttpClientException(Reason.MALFORMED_RESPONSE, "response without a valid :status"));
        return;
      }
      if (status < 200) {
        return; // informational; the final response follows
      }
      int fields = headers.size() - 1;
      if (fields > h1.maxHeaders()) {
        fail(ctx, new HttpClientException(
            Reason.TOO_MANY_HEADERS, "response has " + fields + " header fields, limit " + h1.maxHeaders()));
        return;
      }
      Long length = headers.getLong("content-length");
      if (length != null && !exchange.admitsLength(length)) {
        ctx.close();
        return;
      }
      headersSeen = true;
      exchange.headers(status, convert(headers));
      if (frame.isEndStream()) {
        end(HttpHeaders.empty());
      }
    }

    private void end(HttpHeaders trailers) {
      ended = true;
      exchange.end(trailers);
    }

    private void fail(ChannelHandlerContext ctx, HttpClientException e) {
      exchange.fail(e);
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (!ended) {
        Throwable cause = connectionError;
        exchange.fail(cause != null
            ? streamFailure(cause)
            : new HttpClientException(Reason.STREAM_RESET, "stream closed before the response ended"));
      }
      streamDone();
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      fail(ctx, streamFailure(cause));
    }
  }

  private HttpClientException streamFailure(Throwable cause) {
    HttpClientException tls = Connector.tlsFailure(cause);
    if (tls != null) {
      return tls;
    }
    Throwable root = cause;
    while (!(root instanceof Http2Exception) && root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = String.valueOf(root.getMessage());
    if (root instanceof Http2Exception && message.contains("Header size exceeded")) {
      return new HttpClientException(
          Reason.HEADERS_TOO_LARGE, "header list larger than " + h2.maxHeaderListBytes() + " bytes", cause);
    }
    return new HttpClientException(Reason.MALFORMED_RESPONSE, "HTTP/2 protocol error: " + message, cause);
  }

  static HttpHeaders convert(Http2Headers headers) {
    HttpHeaders.Builder builder = HttpHeaders.builder();
    for (Map.Entry<CharSequence, CharSequence> field : headers) {
      CharSequence name = field.getKey();
      if (name.length() > 0 && name.charAt(0) != ':') {
        builder.add(name.toString(), field.getValue().toString());
      }
    }
    return builder.build();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Http2GoAwayFrame) {
      goingAway = true; // streams above its last-stream-id are failed by the multiplexer
    }
    ReferenceCountUtil.release(msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    goingAway = true;
    pool.closed(this);
    ctx.fireChannelInactive();
  }

  /** A connection error (GOAWAY already sent by the codec): every open stream fails with its cause. */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    connectionError = cause;
    goingAway = true;
    ctx.close();
  }

  @Override
  public boolean isIdle() {
    return active.get() == 0;
  }

  @Override
  public boolean retireIfIdle() {
    goingAway = true;
    if (active.get() == 0) {
      channel.close();
      return true;
    }
    goingAway = false; // a reservation raced in: keep serving it
    return false;
  }

  @Override
  public void close() {
    goingAway = true;
    channel.close();
  }

  @Override
  public @Nullable TlsInfo tls() {
    return tls;
  }

  @Override
  public String toString() {
    return "H2Connection[" + channel.remoteAddress() + ", streams=" + active.get() + "]";
  }
}
