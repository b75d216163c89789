package io.asupersync.protocols.http.client;

import io.asupersync.protocols.ApplicationProtocol;
import io.asupersync.protocols.http.Http1Limits;
import io.asupersync.protocols.http.HttpHeaders;
import io.asupersync.protocols.http.client.HttpClientException.Reason;
import io.asupersync.protocols.tls.TlsInfo;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** HTTP/1.1: one exchange at a time, kept alive between them unless either side says close. */
final class H1Connection extends ChannelInboundHandlerAdapter implements Connection {
  /** Body chunks the decoder hands us; the body limit is counted by {@link Exchange}, not here. */
  private static final int MAX_CHUNK_BYTES = 64 * 1024;

  private final Channel channel;
  private final Pool.Listener pool;
  private final Http1Limits limits;
  private final @Nullable TlsInfo tls;
  private final AtomicBoolean busy = new AtomicBoolean();
  private final AtomicInteger uses = new AtomicInteger();
  private volatile boolean reusable = true;
  // Event loop only.
  private @Nullable Exchange current;
  private boolean keepAlive;
  private boolean informational;

  private H1Connection(Channel channel, Pool.Listener pool, Http1Limits limits, @Nullable TlsInfo tls) {
    this.channel = channel;
    this.pool = pool;
    this.limits = limits;
    this.tls = tls;
  }

  /** Adds the codec and this handler to {@code channel}'s pipeline; call on its event loop. */
  static H1Connection install(Channel channel, Pool.Listener pool, Http1Limits limits, @Nullable TlsInfo tls) {
    H1Connection connection = new H1Connection(channel, pool, limits, tls);
    channel.pipeline().addLast(
        new HttpClientCodec(limits.maxInitialLineBytes(), limits.maxHeaderBytes(), MAX_CHUNK_BYTES), connection);
    return connection;
  }

  @Override
  public ApplicationProtocol protocol() {
    return ApplicationProtocol.HTTP_1_1;
  }

  @Override
  public boolean tryReserve() {
    return reusable && channel.isActive() && busy.compareAndSet(false, true);
  }

  /** Exchanges started on this connection, so a caller can tell a reused connection from a fresh one. */
  int uses() {
    return uses.get();
  }

  @Override
  public void start(ClientRequest request, Origin origin, Exchange exchange) {
    uses.incrementAndGet();
    channel.eventLoop().execute(() -> {
      current = exchange;
      exchange.bind(channel, channel::close);
      channel.writeAndFlush(toNetty(request, origin)).addListener(f -> {
        if (!f.isSuccess()) {
          exchange.fail(new HttpClientException(Reason.CONNECTION_CLOSED, "request could not be written", f.cause()));
          channel.close();
        }
      });
    });
  }

  private static FullHttpRequest toNetty(ClientRequest request, Origin origin) {
    byte[] body = request.bodyUnsafe();
    FullHttpRequest netty = new DefaultFullHttpRequest(
        HttpVersion.HTTP_1_1, HttpMethod.valueOf(request.method()), request.pathAndQuery(), Unpooled.wrappedBuffer(body));
    netty.headers().set("host", origin.authority());
    for (Map.Entry<String, String> field : request.headers()) {
      netty.headers().add(field.getKey(), field.getValue());
    }
    if (body.length > 0 || !request.isIdempotent()) {
      netty.headers().set("content-length", body.length);
    }
    return netty;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      Exchange ex = current;
      if (ex == null) {
        // bytes nobody asked for: the server is not speaking HTTP/1.1 with us
        reusable = false;
        ctx.close();
        return;
      }
      if (msg instanceof HttpResponse response && !onResponse(ex, response)) {
        return;
      }
      if (msg instanceof HttpContent content) {
        onContent(ex, content);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private boolean onResponse(Exchange ex, HttpResponse response) {
    if (response.decoderResult().isFailure()) {
      return failAndClose(ex, decoderFailure(response.decoderResult().cause()));
    }
    int code = response.status().code();
    if (code < 100 || code > 599) {
      // RFC 9110 section 15: values outside 100..599 are invalid (Netty's parser takes any integer)
      return failAndClose(ex, new HttpClientException(Reason.MALFORMED_RESPONSE, "status " + code + " outside 100..599"));
    }
    if (code >= 100 && code < 200 && code != 101) {
      informational = true; // 100 Continue, 103 Early Hints: the final response follows
      return false;
    }
    if (response.headers().size() > limits.maxHeaders()) {
      return failAndClose(ex, new HttpClientException(
          Reason.TOO_MANY_HEADERS, "response has " + response.headers().size() + " header fields, limit " + limits.maxHeaders()));
    }
    long length = HttpUtil.getContentLength(response, -1L);
    if (length >= 0 && !ex.admitsLength(length)) {
      reusable = false;
      channel.close();
      return false;
    }
    keepAlive = HttpUtil.isKeepAlive(response);
    ex.headers(code, convert(response.headers()));
    return true;
  }

  private void onContent(Exchange ex, HttpContent content) {
    if (content.decoderResult().isFailure()) {
      failAndClose(ex, decoderFailure(content.decoderResult().cause()));
      return;
    }
    if (informational) {
      informational = !(content instanceof LastHttpContent);
      return;
    }
    if (!ex.data(content.content())) {
      reusable = false;
      channel.close();
      return;
    }
    if (content instanceof LastHttpContent last) {
      current = null;
      // Free the connection before the caller learns the response ended, so its next call finds it idle.
      // A request it sends runs on this event loop after this read, never in the middle of it.
      boolean reuse = keepAlive && reusable;
      if (reuse) {
        busy.set(false);
        pool.released(this);
      }
      ex.end(convert(last.trailingHeaders()));
      if (!reuse) {
        reusable = false;
        channel.close();
      }
    }
  }

  private boolean failAndClose(Exchange ex, HttpClientException e) {
    ex.fail(e);
    reusable = false;
    channel.close();
    return false;
  }

  private HttpClientException decoderFailure(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return new HttpClientException(
          Reason.STATUS_LINE_TOO_LONG, "status line longer than " + limits.maxInitialLineBytes() + " bytes", cause);
    }
    if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
      return new HttpClientException(
          Reason.HEADERS_TOO_LARGE, "header block larger than " + limits.maxHeaderBytes() + " bytes", cause);
    }
    return new HttpClientException(Reason.MALFORMED_RESPONSE, "malformed HTTP/1.1 response: " + cause.getMessage(), cause);
  }

  static HttpHeaders convert(io.netty.handler.codec.http.HttpHeaders netty) {
    if (netty.isEmpty()) {
      return HttpHeaders.empty();
    }
    HttpHeaders.Builder builder = HttpHeaders.builder();
    for (Map.Entry<String, String> field : netty) {
      builder.add(field.getKey(), field.getValue());
    }
    return builder.build();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    reusable = false;
    Exchange ex = current;
    current = null;
    if (ex != null) {
      ex.fail(new HttpClientException(Reason.CONNECTION_CLOSED, "connection closed before the response ended"));
    }
    pool.closed(this);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Exchange ex = current;
    if (ex != null) {
      HttpClientException tls = Connector.tlsFailure(cause);
      ex.fail(tls != null ? tls : new HttpClientException(Reason.CONNECTION_CLOSED, "connection failed: " + cause, cause));
    }
    reusable = false;
    ctx.close();
  }

  @Override
  public boolean isIdle() {
    return !busy.get();
  }

  /** Closes the connection if nobody holds it; a reservation racing with this wins or loses atomically. */
  @Override
  public boolean retireIfIdle() {
    if (busy.compareAndSet(false, true)) {
      reusable = false;
      channel.close();
      return true;
    }
    return false;
  }

  @Override
  public void close() {
    reusable = false;
    channel.close();
  }

  @Override
  public @Nullable TlsInfo tls() {
    return tls;
  }

  @Override
  public String toString() {
    return "H1Connection[" + channel.remoteAddress() + (busy.get() ? ", busy" : ", idle") + "]";
  }
}
