package io.asupersync.protocols.http.internal;

import io.asupersync.protocols.http.AsupersyncServer;
import io.asupersync.protocols.http.HttpHeaders;
import io.asupersync.protocols.http.HttpProtocol;
import io.asupersync.protocols.http.HttpStatusException;
import io.asupersync.protocols.http.RejectionReason;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP/2 stream: the request head starts an exchange, DATA feeds its body (reads are requested only
 * while the body queue has room, so flow-control credit follows consumption), RST_STREAM or a lost
 * stream cancels it. Runs on the connection's event loop.
 */
final class H2StreamHandler extends ChannelDuplexHandler {

  private final ServerEngine engine;
  private final H2Connection connection;
  private @Nullable H2Exchange exchange;
  private boolean headersSeen;
  private boolean wantRead = true;

  H2StreamHandler(ServerEngine engine, H2Connection connection) {
    this.engine = engine;
    this.connection = connection;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.read();
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof Http2HeadersFrame frame) {
        if (!headersSeen) {
          headersSeen = true;
          onHeaders(ctx, frame);
        } else if (exchange != null) {
          exchange.body.end(fields(frame.headers()));
        }
      } else if (msg instanceof Http2DataFrame data) {
        onData(ctx, data);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onHeaders(ChannelHandlerContext ctx, Http2HeadersFrame frame) {
    Http2StreamChannel ch = (Http2StreamChannel) ctx.channel();
    Http2Headers h = frame.headers();
    int streamId = frame.stream().id();
    if (streamId == Integer.MAX_VALUE) {
      connection.goAway("STREAM_IDS_EXHAUSTED");
    }
    int maxString = engine.config.http2Limits().maxHpackStringBytes();
    if (longestString(h) > maxString) {
      // The header block was decoded in full, so the connection's HPACK table is consistent and only this
      // stream is refused: a 431 like the header list limit, and the connection goes on.
      engine.reject(RejectionReason.HEADER_LIST_TOO_LARGE, "HTTP/2", connection.id, streamId, "maxHpackStringBytes=" + maxString);
      RequestImpl bare =
          new RequestImpl(
              HttpProtocol.HTTP_2,
              String.valueOf(h.method()),
              "/",
              HttpHeaders.empty(),
              connection.tls != null ? "https" : "http",
              null,
              RequestImpl.inet(ch.parent().remoteAddress()),
              RequestImpl.inet(ch.parent().localAddress()),
              connection.tls,
              BodyQueue.empty());
      // an unfinished request body is not wanted: DATA after the 431 resets the stream (NO_ERROR, onData)
      BodyQueue unread = frame.isEndStream() ? BodyQueue.empty() : new BodyQueue(Long.MAX_VALUE, OptionalLong.empty(), () -> {});
      H2Exchange ex = new H2Exchange(engine, bare, connection, ch, unread);
      exchange = ex;
      connection.exchanges.add(ex);
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
    boolean stream = isStreamRoute(String.valueOf(h.method()), String.valueOf(h.path()));
    long maxBody = stream ? Long.MAX_VALUE : engine.config.http2Limits().maxBodyBytes();
    CharSequence authority = h.authority();
    BodyQueue body =
        frame.isEndStream()
            ? BodyQueue.empty()
            : new BodyQueue(
                maxBody,
                contentLength >= 0 ? OptionalLong.of(contentLength) : OptionalLong.empty(),
                () -> ch.eventLoop().execute(() -> resume(ctx)));
    RequestImpl request =
        new RequestImpl(
            HttpProtocol.HTTP_2,
            String.valueOf(h.method()),
            String.valueOf(h.path()),
            fields,
            h.scheme() != null ? h.scheme().toString() : connection.tls != null ? "https" : "http",
            authority != null ? authority.toString() : fields.first("host"),
            RequestImpl.inet(ch.parent().remoteAddress()),
            RequestImpl.inet(ch.parent().localAddress()),
            connection.tls,
            body);
    H2Exchange ex = new H2Exchange(engine, request, connection, ch, body);
    exchange = ex;
    connection.exchanges.add(ex);
    if (badLength) {
      engine.reject(RejectionReason.MALFORMED_REQUEST, "HTTP/2", connection.id, streamId, "content-length");
      ex.sendError(400, "malformed content-length");
      return;
    }
    if (contentLength > maxBody) {
      engine.reject(RejectionReason.BODY_TOO_LARGE, "HTTP/2", connection.id, streamId, "maxBodyBytes=" + maxBody);
      ex.sendError(413, "request body exceeds " + maxBody + " bytes");
      return;
    }
    Duration timeout = null;
    try {
      if (!stream) {
        timeout = engine.requestTimeout(fields.first(AsupersyncServer.CLIENT_TIMEOUT_HEADER));
      }
    } catch (HttpStatusException e) {
      engine.reject(RejectionReason.MALFORMED_REQUEST, "HTTP/2", connection.id, streamId, AsupersyncServer.CLIENT_TIMEOUT_HEADER);
      ex.sendError(400, String.valueOf(e.getMessage()));
      return;
    }
    engine.dispatch(ex, timeout);
  }

  /** Whether the request goes to a {@link Router.Route#stream} route (no deadline, no body total). */
  private boolean isStreamRoute(String method, String rawPath) {
    int query = rawPath.indexOf('?');
    Router.Match match = engine.config.router().match(method, query < 0 ? rawPath : rawPath.substring(0, query));
    return match instanceof Router.Found found && found.route().stream();
  }

  private void onData(ChannelHandlerContext ctx, Http2DataFrame data) {
    H2Exchange ex = exchange;
    if (ex == null) {
      return;
    }
    if (ex.isComplete()) {
      // the response is out: nobody reads this body, and unread DATA would hold connection window
      if (!data.isEndStream()) {
        ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.NO_ERROR));
      }
      return;
    }
    if (data.content().isReadable() && !ex.body.offer(data.content())) {
      wantRead = false;
      if (ex.body.isFailed()) {
        long max = engine.config.http2Limits().maxBodyBytes();
        engine.reject(RejectionReason.BODY_TOO_LARGE, "HTTP/2", connection.id, data.stream().id(), "maxBodyBytes=" + max);
      }
    }
    if (data.isEndStream()) {
      ex.body.end(HttpHeaders.empty());
    }
  }

  private void resume(ChannelHandlerContext ctx) {
    if (!wantRead && exchange != null && !exchange.body.isFailed()) {
      wantRead = true;
      ctx.read();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (wantRead) {
      ctx.read();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof Http2ResetFrame reset) {
      H2Exchange ex = exchange;
      if (ex != null) {
        Http2Error error = Http2Error.valueOf(reset.errorCode());
        ex.clientGone("client reset (" + (error == null ? reset.errorCode() : error.name()) + ")");
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    H2Exchange ex = exchange;
    if (ex != null) {
      ex.clientGone("client disconnected");
      connection.exchanges.remove(ex);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    H2Exchange ex = exchange;
    if (ex != null && ctx.channel().isWritable()) {
      ex.wakeWriter();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // a stream error: the multiplexer resets the stream; the handler has no one left to answer
    H2Exchange ex = exchange;
    if (ex != null) {
      ex.clientGone("stream error");
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
