package io.asupersync.protocols.http.internal;

import io.asupersync.protocols.http.HttpHeaders;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** An HTTP/2 exchange: frames on the stream's child channel, whose writability follows flow control. */
final class H2Exchange extends Exchange {

  /** Connection-specific fields are forbidden in HTTP/2 (RFC 9113 8.2.2); a handler's are dropped. */
  private static final Set<String> FORBIDDEN =
      Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te");

  private final H2Connection connection;
  private final Http2StreamChannel channel;
  final BodyQueue body;

  H2Exchange(ServerEngine engine, RequestImpl request, H2Connection connection, Http2StreamChannel channel, BodyQueue body) {
    super(engine, request, connection.id);
    this.connection = connection;
    this.channel = channel;
    this.body = body;
  }

  @Override
  Channel channel() {
    return channel;
  }

  @Override
  String protocolName() {
    return "HTTP/2";
  }

  private static Http2Headers fields(HttpHeaders headers, Http2Headers into) {
    for (Map.Entry<String, String> e : headers) {
      if (!FORBIDDEN.contains(e.getKey())) {
        into.add(e.getKey(), e.getValue());
      }
    }
    return into;
  }

  private static Http2Headers head(int status, HttpHeaders headers) {
    return fields(headers, new DefaultHttp2Headers().status(Integer.toString(status)));
  }

  @Override
  void sendFull(int status, HttpHeaders headers, byte[] bytes, HttpHeaders trailers, boolean headOnly) {
    Http2Headers h = head(status, headers);
    boolean noData = headOnly || bytes.length == 0;
    if (headOnly || bytes.length > 0) {
      h.setLong("content-length", bytes.length);
    }
    // The frames are built here (task thread) and written in one event-loop task: one hop per
    // response instead of one per frame; the connection's flush consolidation merges the flushes of
    // the streams answered in the same loop pass.
    if (channel.eventLoop().inEventLoop()) {
      writeFull(h, noData ? null : bytes, trailers);
    } else {
      channel.eventLoop().execute(() -> writeFull(h, noData ? null : bytes, trailers));
    }
  }

  private void writeFull(Http2Headers h, byte @Nullable [] bytes, HttpHeaders trailers) {
    boolean endWithData = trailers.isEmpty();
    // without body and trailers: the trailers-only form, one HEADERS frame with END_STREAM
    ChannelFuture last = channel.write(new DefaultHttp2HeadersFrame(h, bytes == null && endWithData));
    if (bytes != null) {
      last = channel.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(bytes), endWithData));
    }
    if (!endWithData) {
      last = channel.write(new DefaultHttp2HeadersFrame(fields(trailers, new DefaultHttp2Headers()), true));
    }
    channel.flush();
    done(last);
  }

  @Override
  void sendHead(int status, HttpHeaders headers) {
    channel.writeAndFlush(new DefaultHttp2HeadersFrame(head(status, headers), false));
  }

  @Override
  void sendChunk(byte[] bytes) {
    channel.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(bytes), false));
  }

  @Override
  void sendEnd(HttpHeaders trailers) {
    done(
        trailers.isEmpty()
            ? channel.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.EMPTY_BUFFER, true))
            : channel.writeAndFlush(new DefaultHttp2HeadersFrame(fields(trailers, new DefaultHttp2Headers()), true)));
  }

  @Override
  void abort(boolean cancelled) {
    channel.writeAndFlush(new DefaultHttp2ResetFrame(cancelled ? Http2Error.CANCEL : Http2Error.INTERNAL_ERROR));
  }

  private void done(ChannelFuture future) {
    future.addListener(
        f -> {
          complete(sentStatus);
          connection.exchanges.remove(this);
          if (!body.isEnded() && body.received() > 0 && channel.isActive()) {
            // answered while the request body was coming: the rest is not wanted (RFC 9113 8.1). A stream
            // with no body yet is left half-closed, so what its peer sends next on it (WINDOW_UPDATE,
            // trailers) is still checked; DATA arriving after the response resets it then (onData).
            channel.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.NO_ERROR));
          }
        });
  }
}
