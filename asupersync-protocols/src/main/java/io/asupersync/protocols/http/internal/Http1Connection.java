package io.asupersync.protocols.http.internal;

import io.asupersync.protocols.http.AsupersyncServer;
import io.asupersync.protocols.http.Http1Limits;
import io.asupersync.protocols.http.HttpHeaders;
import io.asupersync.protocols.http.HttpProtocol;
import io.asupersync.protocols.http.HttpStatusException;
import io.asupersync.protocols.http.RejectionReason;
import io.asupersync.protocols.tls.TlsInfo;
import io.asupersync.trace.TraceKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.ContentLengthNotAllowedException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.TransferEncodingNotAllowedException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP/1.1 connection after Netty's codec: enforces the limits the codec does not answer, runs one
 * exchange at a time (pipelined requests wait, bounded), keeps the connection alive within its request
 * count and idle timeout, and answers slow headers with 408. Event loop only, except where noted.
 */
final class Http1Connection extends ChannelDuplexHandler {

  static final String NAME = "http1";
  /** Pipelined messages held while a response is pending before the connection stops reading. */
  private static final int MAX_PENDING = 64;

  private final ServerEngine engine;
  private final Http1Limits limits;
  final long id;
  private final @Nullable TlsInfo tls;
  private @Nullable ChannelHandlerContext ctx;
  private @Nullable Http1Exchange current;
  private final ArrayDeque<Object> pending = new ArrayDeque<>();
  private int served;
  /** An answer that ends the connection was sent or the connection is going away: drop input. */
  private boolean closing;
  private boolean expectingHead = true;
  // Timers are armed once and re-armed from their deadline when they fire early, instead of scheduled
  // and cancelled for every request (two priority-queue operations each on the event loop).
  /** When the head being read must be complete (nanoTime), 0 while no head is being read. */
  private long headerDeadline;
  /** When the idle connection closes (nanoTime), 0 while not idle. */
  private long idleDeadline;
  private @Nullable ScheduledFuture<?> headerTimer;
  private @Nullable ScheduledFuture<?> idleTimer;
  private @Nullable Http1UpgradeHandler upgradeHandler;
  private @Nullable FullHttpRequest upgradeRequest;
  volatile boolean shutdownRequested;

  Http1Connection(ServerEngine engine, long id, @Nullable TlsInfo tls) {
    this.engine = engine;
    this.limits = engine.config.http1Limits();
    this.id = id;
    this.tls = tls;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (ctx.channel().isActive()) {
      startIdle();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    startIdle();
    ctx.fireChannelActive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelTimers();
    releasePending();
  }

  private void releasePending() {
    Object m;
    while ((m = pending.poll()) != null) {
      ReferenceCountUtil.release(m);
    }
    if (upgradeRequest != null) {
      upgradeRequest.release();
      upgradeRequest = null;
    }
  }

  // ---- timers

  /** Bytes arrived (called by the guard before the codec). */
  void onBytes() {
    idleDeadline = 0;
    if (expectingHead && headerDeadline == 0 && !closing && ctx != null) {
      long timeout = limits.headerReadTimeout().toNanos();
      headerDeadline = System.nanoTime() + timeout;
      if (headerTimer == null) {
        headerTimer = ctx.executor().schedule(this::headerTimeout, timeout, TimeUnit.NANOSECONDS);
      }
    }
  }

  private void startIdle() {
    if (ctx == null || closing || current != null || idleDeadline != 0) {
      return;
    }
    long timeout = limits.idleTimeout().toNanos();
    idleDeadline = System.nanoTime() + timeout;
    if (idleTimer == null) {
      idleTimer = ctx.executor().schedule(this::idleTimeout, timeout, TimeUnit.NANOSECONDS);
    }
  }

  private void idleTimeout() {
    idleTimer = null;
    long left = idleDeadline - System.nanoTime();
    if (idleDeadline == 0 || ctx == null) {
      return;
    }
    if (left > 0) {
      idleTimer = ctx.executor().schedule(this::idleTimeout, left, TimeUnit.NANOSECONDS);
      return;
    }
    idleDeadline = 0;
    if (current == null && headerDeadline == 0) {
      engine.trace(TraceKind.LIMIT_EXCEEDED, "IDLE_TIMEOUT", "HTTP/1.1", id, 0, "idleTimeout=" + limits.idleTimeout());
      closing = true;
      ctx.close();
    }
  }

  private void headerTimeout() {
    headerTimer = null;
    long left = headerDeadline - System.nanoTime();
    if (headerDeadline == 0 || ctx == null) {
      return;
    }
    if (left > 0) {
      headerTimer = ctx.executor().schedule(this::headerTimeout, left, TimeUnit.NANOSECONDS);
      return;
    }
    headerDeadline = 0;
    if (!expectingHead || closing) {
      return;
    }
    if (current == null) {
      reject(408, RejectionReason.HEADER_READ_TIMEOUT, "headerReadTimeout=" + limits.headerReadTimeout());
    } else {
      // a pipelined head is stalling behind a response: finish that response, then close
      current.keepAlive = false;
    }
  }

  private void cancelTimers() {
    cancel(headerTimer);
    cancel(idleTimer);
    headerTimer = null;
    idleTimer = null;
    headerDeadline = 0;
    idleDeadline = 0;
  }

  private static void cancel(@Nullable ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  /**
   * Whether no request is in flight or queued (event loop): only then may the connection switch
   * protocols. An upgrade that overtook pipelined requests would put their HTTP/1.1 answers on an
   * HTTP/2 connection (the fuzzer found it).
   */
  boolean idle() {
    return current == null && pending.isEmpty() && !closing;
  }

  // ---- inbound

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (closing) {
      ReferenceCountUtil.release(msg);
      return;
    }
    Http1Exchange ex = current;
    if (ex != null && ex.requestComplete) {
      pending.add(msg);
      if (pending.size() >= MAX_PENDING) {
        ctx.channel().config().setAutoRead(false);
      }
      return;
    }
    process(msg);
  }

  private void process(Object msg) {
    try {
      if (msg instanceof HttpRequest req) {
        onHead(req);
      }
      if (msg instanceof HttpContent content && !closing) {
        onContent(content);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onHead(HttpRequest req) {
    headerDeadline = 0;
    expectingHead = false;
    if (req.decoderResult().isFailure()) {
      rejectDecoderFailure(req.decoderResult().cause());
      return;
    }
    HttpVersion version = req.protocolVersion();
    if (version.majorVersion() != 1) {
      reject(505, RejectionReason.MALFORMED_REQUEST, "version");
      return;
    }
    io.netty.handler.codec.http.HttpHeaders h = req.headers();
    if (h.size() > limits.maxHeaders()) {
      reject(431, RejectionReason.TOO_MANY_HEADERS, "maxHeaders=" + limits.maxHeaders());
      return;
    }
    List<String> hosts = h.getAll(HttpHeaderNames.HOST);
    if (limits.requireHost()
        && version.minorVersion() >= 1
        && (hosts.size() != 1 || hosts.get(0).isBlank())) {
      reject(400, RejectionReason.BAD_HOST, hosts.isEmpty() ? "host missing" : "host not exactly one");
      return;
    }
    long contentLength = HttpUtil.getContentLength(req, -1L);
    if (contentLength > limits.maxBodyBytes()) {
      reject(413, RejectionReason.BODY_TOO_LARGE, "maxBodyBytes=" + limits.maxBodyBytes());
      return;
    }
    Duration timeout;
    try {
      timeout = engine.requestTimeout(h.get(AsupersyncServer.CLIENT_TIMEOUT_HEADER));
    } catch (HttpStatusException e) {
      reject(400, RejectionReason.MALFORMED_REQUEST, AsupersyncServer.CLIENT_TIMEOUT_HEADER);
      return;
    }
    String expect = h.get(HttpHeaderNames.EXPECT);
    if (expect != null && !expect.equalsIgnoreCase("100-continue")) {
      reject(417, RejectionReason.MALFORMED_REQUEST, "expect");
      return;
    }
    boolean hasBody = HttpUtil.isTransferEncodingChunked(req) || contentLength > 0;
    if (!hasBody && offerUpgrade(req)) {
      return;
    }
    served++;
    boolean keepAlive =
        HttpUtil.isKeepAlive(req) && served < limits.maxRequestsPerConnection() && !shutdownRequested;
    if (HttpUtil.is100ContinueExpected(req) && hasBody) {
      ctx().writeAndFlush(new DefaultFullHttpResponse(version, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
    }
    HttpHeaders.Builder headers = HttpHeaders.builder();
    for (Map.Entry<String, String> e : h) {
      headers.add(e.getKey(), e.getValue());
    }
    BodyQueue body =
        hasBody
            ? new BodyQueue(
                limits.maxBodyBytes(),
                contentLength >= 0 ? OptionalLong.of(contentLength) : OptionalLong.empty(),
                this::resumeFromTask)
            : BodyQueue.empty();
    ChannelHandlerContext c = ctx();
    RequestImpl request =
        new RequestImpl(
            version.minorVersion() == 0 ? HttpProtocol.HTTP_1_0 : HttpProtocol.HTTP_1_1,
            req.method().name(),
            req.uri(),
            headers.build(),
            tls != null ? "https" : "http",
            hosts.isEmpty() ? null : hosts.get(0),
            RequestImpl.inet(c.channel().remoteAddress()),
            RequestImpl.inet(c.channel().localAddress()),
            tls,
            body);
    Http1Exchange ex = new Http1Exchange(engine, request, this, c.channel(), version, keepAlive);
    current = ex;
    engine.dispatch(ex, timeout);
  }

  /** Whether a registered upgrade handler takes this request once its (empty) body arrived. */
  private boolean offerUpgrade(HttpRequest req) {
    String token = req.headers().get(HttpHeaderNames.UPGRADE);
    if (token == null || engine.config.upgrades().isEmpty()) {
      return false;
    }
    for (String t : token.split(",")) {
      Http1UpgradeHandler handler = engine.config.upgrades().get(t.trim().toLowerCase(Locale.ROOT));
      if (handler == null) {
        continue;
      }
      FullHttpRequest full =
          new DefaultFullHttpRequest(
              req.protocolVersion(), req.method(), req.uri(), Unpooled.EMPTY_BUFFER, req.headers().copy(),
              io.netty.handler.codec.http.DefaultHttpHeadersFactory.trailersFactory().newHeaders());
      if (handler.accepts(full)) {
        upgradeHandler = handler;
        upgradeRequest = full;
        return true;
      }
      full.release();
    }
    return false;
  }

  private void onContent(HttpContent content) {
    if (content.decoderResult().isFailure()) {
      // a malformed chunk: the decoder ends the message here, which must not read as a complete body
      Http1Exchange ex = current;
      if (ex != null && !ex.requestComplete) {
        ex.body.fail(new HttpStatusException(400, "malformed request body"));
      }
      rejectDecoderFailure(content.decoderResult().cause());
      return;
    }
    if (upgradeRequest != null) {
      if (content instanceof LastHttpContent) {
        upgrade();
      }
      return;
    }
    Http1Exchange ex = current;
    if (ex == null || ex.requestComplete) {
      return;
    }
    ByteBuf data = content.content();
    if (data.isReadable() && ex.body.wouldExceed(data.readableBytes())) {
      // Before the offer: failing the body wakes the handler, whose 413 must already say close.
      ex.keepAlive = false;
    }
    if (data.isReadable() && !ex.body.offer(data)) {
      ctx().channel().config().setAutoRead(false);
      if (ex.body.isFailed()) {
        engine.reject(RejectionReason.BODY_TOO_LARGE, "HTTP/1.1", id, 0, "maxBodyBytes=" + limits.maxBodyBytes());
        return;
      }
    }
    if (content instanceof LastHttpContent last) {
      HttpHeaders trailers = HttpHeaders.empty();
      if (!last.trailingHeaders().isEmpty()) {
        HttpHeaders.Builder b = HttpHeaders.builder();
        for (Map.Entry<String, String> e : last.trailingHeaders()) {
          b.add(e.getKey(), e.getValue());
        }
        trailers = b.build();
      }
      ex.body.end(trailers);
      ex.requestComplete = true;
      expectingHead = true;
    }
  }

  private void upgrade() {
    Http1UpgradeHandler handler = upgradeHandler;
    FullHttpRequest request = upgradeRequest;
    upgradeHandler = null;
    upgradeRequest = null;
    if (handler == null || request == null) {
      return;
    }
    ChannelHandlerContext c = ctx();
    cancelTimers();
    var p = c.pipeline();
    if (p.get(Pipelines.H1_GUARD) != null) {
      p.remove(Pipelines.H1_GUARD);
    }
    if (p.get(Pipelines.H2C_UPGRADE) != null) {
      p.remove(Pipelines.H2C_UPGRADE);
    }
    p.remove(this);
    try {
      handler.upgrade(c.channel(), request);
    } finally {
      request.release();
    }
  }

  /** The consumer drained the body queue below its low-water mark (task thread). */
  private void resumeFromTask() {
    ChannelHandlerContext c = ctx;
    if (c != null) {
      c.executor().execute(() -> {
        if (!closing && current != null) {
          c.channel().config().setAutoRead(true);
        }
      });
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closing = true;
    cancelTimers();
    Http1Exchange ex = current;
    if (ex != null) {
      ex.clientGone("client disconnected");
    }
    releasePending();
    ctx.fireChannelInactive();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    Http1Exchange ex = current;
    if (ex != null && ctx.channel().isWritable()) {
      ex.wakeWriter();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == ServerEngine.SHUTDOWN_EVENT) {
      shutdownRequested = true;
      if (current == null) {
        closing = true;
        ctx.close();
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // I/O errors (connection reset) end the connection; channelInactive cancels what is in flight.
    ctx.close();
  }

  // ---- outbound bookkeeping

  /**
   * The exchange's last write finished (event loop). A failed write ({@code keepAlive} false) closes
   * without feeding the next pipelined request: its listener runs inside Netty's write of the failed
   * response, and a response written from there would re-enter the HTTP encoder mid-write (the
   * fuzzer saw it release a buffer twice).
   */
  void exchangeDone(Http1Exchange ex, boolean keepAlive) {
    ex.complete(ex.sentStatus);
    if (current != ex) {
      return;
    }
    current = null;
    ChannelHandlerContext c = ctx();
    if (!keepAlive || closing || !ex.requestComplete || shutdownRequested) {
      closing = true;
      c.close();
      return;
    }
    c.channel().config().setAutoRead(true);
    // feed queued messages until a request waits for its response (its content included)
    Object next;
    while (!closing && (current == null || !current.requestComplete) && (next = pending.poll()) != null) {
      process(next);
    }
    startIdle();
  }

  private ChannelHandlerContext ctx() {
    ChannelHandlerContext c = ctx;
    if (c == null) {
      throw new IllegalStateException("handler not added");
    }
    return c;
  }

  // ---- rejections

  private void rejectDecoderFailure(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      reject(414, RejectionReason.REQUEST_LINE_TOO_LONG, "maxInitialLineBytes=" + limits.maxInitialLineBytes());
    } else if (cause instanceof TooLongHttpHeaderException) {
      reject(431, RejectionReason.HEADERS_TOO_LARGE, "maxHeaderBytes=" + limits.maxHeaderBytes());
    } else if (cause instanceof ContentLengthNotAllowedException) {
      reject(400, RejectionReason.CONTENT_LENGTH_WITH_TRANSFER_ENCODING, "content-length with transfer-encoding");
    } else if (String.valueOf(cause.getMessage()).startsWith("Multiple Content-Length")) {
      reject(400, RejectionReason.DUPLICATE_CONTENT_LENGTH, "several content-length values");
    } else if (cause instanceof TransferEncodingNotAllowedException) {
      reject(400, RejectionReason.MALFORMED_REQUEST, "transfer-encoding before HTTP/1.1");
    } else {
      reject(400, RejectionReason.MALFORMED_REQUEST, "unparsable request");
    }
  }

  /** Answers {@code status} and closes; only while no response is in progress. */
  private void reject(int status, RejectionReason reason, String detail) {
    engine.reject(reason, "HTTP/1.1", id, 0, detail);
    closing = true;
    cancelTimers();
    ChannelHandlerContext c = ctx();
    if (current != null) {
      current.keepAlive = false;
      return;
    }
    byte[] text = (HttpResponseStatus.valueOf(status).reasonPhrase() + "\n").getBytes(StandardCharsets.UTF_8);
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(text));
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
        .set(HttpHeaderNames.CONTENT_LENGTH, text.length)
        .set(HttpHeaderNames.CONNECTION, "close");
    c.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
