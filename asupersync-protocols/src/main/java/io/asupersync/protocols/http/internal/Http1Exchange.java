package io.asupersync.protocols.http.internal;

import io.asupersync.protocols.http.HttpHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.Map;
import java.util.Set;

/** An HTTP/1.x exchange: responses go out through Netty's HTTP/1 encoder on the connection channel. */
final class Http1Exchange extends Exchange {

  /** Framing and hop-by-hop fields the server owns; a handler's values for them are dropped. */
  private static final Set<String> OWNED =
      Set.of("connection", "content-length", "transfer-encoding", "keep-alive", "upgrade", "proxy-connection", "te", "trailer");

  private final Http1Connection connection;
  private final Channel channel;
  private final HttpVersion version;
  final BodyQueue body;
  /** Event loop only: the request's last content arrived. */
  boolean requestComplete;
  volatile boolean keepAlive;
  private volatile boolean broken;
  private boolean chunked;
  private boolean finalKeepAlive;

  Http1Exchange(
      ServerEngine engine, RequestImpl request, Http1Connection connection, Channel channel, HttpVersion version, boolean keepAlive) {
    super(engine, request, connection.id);
    this.connection = connection;
    this.channel = channel;
    this.version = version;
    this.keepAlive = keepAlive;
    this.body = (BodyQueue) request.body();
  }

  @Override
  Channel channel() {
    return channel;
  }

  @Override
  String protocolName() {
    return version == HttpVersion.HTTP_1_0 ? "HTTP/1.0" : "HTTP/1.1";
  }

  @Override
  void markBroken() {
    broken = true;
  }

  private boolean keep() {
    return keepAlive && !broken && !connection.shutdownRequested;
  }

  private HttpResponse head(int status, HttpHeaders headers, boolean full, ByteBuf content) {
    HttpResponse r =
        full
            ? new DefaultFullHttpResponse(version, HttpResponseStatus.valueOf(status), content)
            : new DefaultHttpResponse(version, HttpResponseStatus.valueOf(status));
    var h = r.headers();
    for (Map.Entry<String, String> e : headers) {
      if (!OWNED.contains(e.getKey())) {
        h.add(WireNames.of(e.getKey()), e.getValue());
      }
    }
    finalKeepAlive = keep();
    if (!finalKeepAlive) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (version == HttpVersion.HTTP_1_0) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    return r;
  }

  private io.netty.handler.codec.http.HttpHeaders trailerFields(HttpHeaders trailers) {
    var t = io.netty.handler.codec.http.DefaultHttpHeadersFactory.trailersFactory().newHeaders();
    for (Map.Entry<String, String> e : trailers) {
      t.add(e.getKey(), e.getValue());
    }
    return t;
  }

  @Override
  void sendFull(int status, HttpHeaders headers, byte[] bytes, HttpHeaders trailers, boolean headOnly) {
    ByteBuf content = headOnly || bytes.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes);
    if (trailers.isEmpty() || headOnly || version == HttpVersion.HTTP_1_0) {
      HttpResponse r = head(status, headers, true, content);
      r.headers().set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
      boolean keep = finalKeepAlive;
      channel.writeAndFlush(r).addListener(f -> connection.exchangeDone(this, keep && f.isSuccess()));
      return;
    }
    HttpResponse r = head(status, headers, false, Unpooled.EMPTY_BUFFER);
    r.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    boolean keep = finalKeepAlive;
    channel.write(r);
    channel.writeAndFlush(new DefaultLastHttpContent(content, trailerFields(trailers)))
        .addListener(f -> connection.exchangeDone(this, keep && f.isSuccess()));
  }

  @Override
  void sendHead(int status, HttpHeaders headers) {
    HttpResponse r = head(status, headers, false, Unpooled.EMPTY_BUFFER);
    String declared = headers.first("content-length");
    if (declared != null) {
      r.headers().set(HttpHeaderNames.CONTENT_LENGTH, declared);
    } else if (version == HttpVersion.HTTP_1_0) {
      // no chunked coding before 1.1: the body ends when the connection does
      finalKeepAlive = false;
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else {
      chunked = true;
      r.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    channel.writeAndFlush(r);
  }

  @Override
  void sendChunk(byte[] bytes) {
    channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes)));
  }

  @Override
  void sendEnd(HttpHeaders trailers) {
    LastHttpContent last =
        chunked && !trailers.isEmpty()
            ? new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, trailerFields(trailers))
            : LastHttpContent.EMPTY_LAST_CONTENT;
    boolean keep = finalKeepAlive;
    channel.writeAndFlush(last).addListener(f -> connection.exchangeDone(this, keep && f.isSuccess()));
  }

  @Override
  void abort(boolean cancelled) {
    channel.close();
  }
}
