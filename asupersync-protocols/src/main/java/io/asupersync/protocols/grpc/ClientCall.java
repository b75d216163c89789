package io.asupersync.protocols.grpc;

import io.asupersync.CancelledException;
import io.asupersync.CancelReason;
import io.asupersync.Cx;
import io.asupersync.Waker;
import io.asupersync.protocols.client.CallOutcome;
import io.asupersync.protocols.client.ClientCallObserver;
import io.asupersync.protocols.grpc.internal.GrpcHeaders;
import io.asupersync.protocols.grpc.internal.MessageDeframer;
import io.asupersync.protocols.grpc.internal.MessageFramer;
import io.asupersync.protocols.http.HttpHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One call made by {@link GrpcClient}: a stream of requests out and a stream of responses in. Every
 * shape of call goes through it; {@link GrpcClient#unary} is the shortcut for the common one.
 *
 * <p>Reading ({@link #next}) reports the call's end: {@code null} when the server finished with OK, a
 * {@link GrpcStatusException} for any other status. A caller that is cancelled while it waits (its own
 * deadline, its scope) gets {@code CancelledException}, and the call is reset with {@code
 * RST_STREAM(CANCEL)}, so the server's handler is cancelled too. {@link #close} (try-with-resources)
 * resets a call that has not finished.
 *
 * <p>A call is used by one task at a time; {@link #cancel} may come from anywhere.
 *
 * @param <Req> the request message type
 * @param <Resp> the response message type
 */
public final class ClientCall<Req, Resp> implements MessageReader<Resp>, MessageWriter<Req>, AutoCloseable {

  /** Sends wait once this many framed bytes are queued towards the connection but not written yet. */
  private static final int MAX_PENDING_BYTES = 256 * 1024;
  /** Decoded responses buffered ahead of the reader before the stream stops reading from the socket. */
  private static final int READ_AHEAD_MESSAGES = 2;
  /** What a wait for a message returns once the call ended (compared by identity). */
  private static final byte[] END = new byte[0];

  private final GrpcClient client;
  private final MethodDescriptor<Req, Resp> method;
  private final EventLoop eventLoop;
  private final GrpcLimits limits;
  private final ClientCallObserver.Call observed;

  private final ReentrantLock lock = new ReentrantLock();
  // Guarded by lock.
  private final ArrayDeque<byte[]> inbound = new ArrayDeque<>();
  private @Nullable HttpHeaders responseHeaders;
  private @Nullable Status status;
  private HttpHeaders trailers = HttpHeaders.empty();
  private @Nullable Waker waiter;
  private long pendingBytes;
  private boolean writable = true;
  private boolean halfClosed;
  private boolean readPaused;

  // Event loop only.
  private @Nullable Http2StreamChannel stream;
  private final ArrayDeque<Runnable> waitingForStream = new ArrayDeque<>(2);
  private @Nullable MessageDeframer deframer;
  private boolean sawHeaders;

  ClientCall(GrpcClient client, MethodDescriptor<Req, Resp> method, Channel connection, GrpcLimits limits, ClientCallObserver.Call observed) {
    this.client = client;
    this.observed = observed;
    this.method = method;
    this.eventLoop = connection.eventLoop();
    this.limits = limits;
  }

  public MethodDescriptor<Req, Resp> method() {
    return method;
  }

  /** Opens the HTTP/2 stream and queues the request headers; {@code flush} sends them now. */
  void open(Channel connection, Http2Headers headers, boolean flush) {
    onEventLoop(
        () ->
            new Http2StreamChannelBootstrap(connection)
                .handler(new Inbound())
                .open()
                .addListener(
                    f -> {
                      if (!f.isSuccess()) {
                        complete(Status.of(StatusCode.UNAVAILABLE, "could not open a stream: " + f.cause()), HttpHeaders.empty());
                        failPendingWrites();
                        return;
                      }
                      Http2StreamChannel s = (Http2StreamChannel) f.getNow();
                      s.config().setAutoRead(false);
                      stream = s;
                      s.write(new DefaultHttp2HeadersFrame(headers, false));
                      if (isDone()) {
                        // Cancelled before the stream opened: the server still sees the call begin and end.
                        failPendingWrites();
                        s.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL));
                        s.close();
                        return;
                      }
                      if (flush) {
                        s.flush();
                      }
                      Runnable op;
                      while ((op = waitingForStream.poll()) != null) {
                        op.run();
                      }
                      s.read();
                    }));
  }

  /**
   * Runs {@code op} on the event loop once the stream is open (at once if it is): opening completes
   * asynchronously, and writes queued meanwhile must follow the headers in order.
   */
  private void withStream(Runnable op) {
    onEventLoop(
        () -> {
          if (stream == null) {
            waitingForStream.add(op);
          } else {
            op.run();
          }
        });
  }

  /** Runs the queued writes once the stream could not open; each sees no stream and gives up. */
  private void failPendingWrites() {
    Runnable op;
    while ((op = waitingForStream.poll()) != null) {
      op.run();
    }
  }

  /**
   * Sends one request. Waits while the server's flow-control window is closed.
   *
   * @throws GrpcStatusException {@code RESOURCE_EXHAUSTED} when the message is over the limit (the call
   *     is then cancelled); the call's status if it already ended with one other than OK
   * @throws IllegalStateException after {@link #halfClose}
   */
  @Override
  public void send(Cx cx, Req message) throws GrpcStatusException {
    write(cx, message, false);
  }

  /** {@link #send} and {@link #halfClose} in one step, one flush. */
  public void sendLast(Cx cx, Req message) throws GrpcStatusException {
    write(cx, message, true);
  }

  private void write(Cx cx, Req message, boolean last) throws GrpcStatusException {
    awaitWritable(cx);
    ByteBuf framed;
    try {
      framed = MessageFramer.frame(client.allocator(), method.requestCodec().encode(message), limits.maxOutboundMessageBytes(), client.gzipRequests());
    } catch (GrpcStatusException e) {
      fail(e.status());
      throw e;
    }
    int size = framed.readableBytes();
    boolean ended = false;
    lock.lock();
    try {
      if (halfClosed) {
        framed.release();
        throw new IllegalStateException("the call was half-closed");
      }
      if (status != null) {
        framed.release();
        ended = true;
      }
      if (!ended) {
        halfClosed = last;
        pendingBytes += size;
      }
    } finally {
      lock.unlock();
    }
    if (ended) {
      throwIfFailed();
      return; // the server already finished with OK: the message has no reader
    }
    withStream(
        () -> {
          Http2StreamChannel s = stream;
          if (s == null || isDone()) {
            framed.release();
            written(size);
            return;
          }
          s.writeAndFlush(new DefaultHttp2DataFrame(framed, last))
              .addListener(
                  f -> {
                    written(size);
                    if (!f.isSuccess()) {
                      complete(Status.of(StatusCode.UNAVAILABLE, "write failed: " + f.cause()), HttpHeaders.empty());
                    }
                  });
        });
  }

  /** Tells the server no more requests follow (END_STREAM). Idempotent. */
  public void halfClose() {
    lock.lock();
    try {
      if (halfClosed || status != null) {
        return;
      }
      halfClosed = true;
    } finally {
      lock.unlock();
    }
    withStream(
        () -> {
          Http2StreamChannel s = stream;
          if (s != null && !isDone()) {
            s.writeAndFlush(new DefaultHttp2DataFrame(true));
          }
        });
  }

  /**
   * Waits for the next response.
   *
   * @return the response, or {@code null} once the server finished with OK
   * @throws GrpcStatusException with the server's status (and trailers) when it finished otherwise, or a
   *     locally detected failure: a response over the limit ({@code RESOURCE_EXHAUSTED}), an
   *     undecodable one ({@code INTERNAL}), a lost connection ({@code UNAVAILABLE})
   * @throws CancelledException when the caller is cancelled first (its deadline included); the call is
   *     reset
   */
  @Override
  public @Nullable Resp next(Cx cx) throws GrpcStatusException {
    byte[] bytes = awaitMessage(cx);
    if (bytes == null) {
      return null;
    }
    try {
      return method.responseCodec().decode(bytes);
    } catch (IOException | RuntimeException e) {
      Status failure = Status.of(StatusCode.INTERNAL, "could not decode the response: " + e.getMessage());
      fail(failure);
      throw failure.asException();
    }
  }

  /**
   * Waits for the response headers (initial metadata), empty for a trailers-only response.
   *
   * @throws CancelledException when the caller is cancelled first; the call is reset
   */
  public HttpHeaders headers(Cx cx) {
    return await(cx, () -> responseHeaders != null ? responseHeaders : status != null ? HttpHeaders.empty() : null);
  }

  /** The status once the call ended, else {@code null}. */
  public @Nullable Status status() {
    lock.lock();
    try {
      return status;
    } finally {
      lock.unlock();
    }
  }

  /** Trailing metadata once the call ended (without {@code grpc-status} and {@code grpc-message}). */
  public HttpHeaders trailers() {
    lock.lock();
    try {
      return trailers;
    } finally {
      lock.unlock();
    }
  }

  /** Ends the call now with {@code CANCELLED} and resets the stream; a no-op once it ended. */
  public void cancel(String why) {
    fail(Status.of(StatusCode.CANCELLED, why));
  }

  /** Resets the call if it has not ended; frees it either way. */
  @Override
  public void close() {
    cancel("call closed before it finished");
  }

  // ---- waiting

  private byte @Nullable [] awaitMessage(Cx cx) throws GrpcStatusException {
    byte[] bytes = await(cx, () -> {
      byte[] next = inbound.poll();
      return next != null ? next : status != null ? END : null;
    });
    if (bytes == END) {
      cx.checkpoint(); // a caller whose own deadline passed reports that, not the server's echo of it
      throwIfFailed();
      return null;
    }
    resumeReadingIfDrained();
    return bytes;
  }

  private void awaitWritable(Cx cx) {
    await(cx, () -> status != null || (writable && pendingBytes < MAX_PENDING_BYTES) ? Boolean.TRUE : null);
  }

  private interface Poll<T> {
    @Nullable T pollLocked();
  }

  /** Waits until {@code poll} (run under the lock) returns something; resets the call if cancelled. */
  private <T> T await(Cx cx, Poll<T> poll) {
    Waker me = cx.waker();
    try {
      while (true) {
        cx.checkpoint();
        lock.lock();
        try {
          T value = poll.pollLocked();
          if (value != null) {
            return value;
          }
          waiter = me;
        } finally {
          lock.unlock();
        }
        cx.park(null);
      }
    } catch (CancelledException e) {
      fail(Status.of(StatusCode.CANCELLED, "caller cancelled: " + e.reason().kind()), e.reason());
      throw e;
    } finally {
      lock.lock();
      try {
        if (waiter == me) {
          waiter = null;
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /** Throws the call's final status with its trailers, unless the call is running or ended OK. */
  private void throwIfFailed() throws GrpcStatusException {
    Status done;
    HttpHeaders doneTrailers;
    lock.lock();
    try {
      done = status;
      doneTrailers = trailers;
    } finally {
      lock.unlock();
    }
    if (done != null && !done.isOk()) {
      throw new GrpcStatusException(done, doneTrailers);
    }
  }

  // ---- state changes (any thread)

  private boolean isDone() {
    lock.lock();
    try {
      return status != null;
    } finally {
      lock.unlock();
    }
  }

  private void written(int size) {
    Waker w;
    lock.lock();
    try {
      pendingBytes -= size;
      w = waiter;
    } finally {
      lock.unlock();
    }
    wake(w);
  }

  /** Ends the call locally with {@code failure} and resets the stream. */
  private void fail(Status failure) {
    fail(failure, null);
  }

  /** As {@link #fail(Status)}; {@code cancelled} when the caller gave up. */
  private void fail(Status failure, @Nullable CancelReason cancelled) {
    if (complete(failure, HttpHeaders.empty(), cancelled)) {
      onEventLoop(
          () -> {
            Http2StreamChannel s = stream;
            if (s != null && s.isActive()) {
              s.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL));
              s.close();
            }
          });
    }
  }

  /** Records the final status once; returns whether this call set it. */
  private boolean complete(Status finalStatus, HttpHeaders finalTrailers) {
    return complete(finalStatus, finalTrailers, null);
  }

  private boolean complete(Status finalStatus, HttpHeaders finalTrailers, @Nullable CancelReason cancelled) {
    Waker w;
    lock.lock();
    try {
      if (status != null) {
        return false;
      }
      status = finalStatus;
      trailers = finalTrailers;
      w = waiter;
      // Before the caller can see the end.
      client.callEnded(method, observed, cancelled != null ? new CallOutcome.Cancelled(cancelled) : new CallOutcome.GrpcStatus(finalStatus));
    } finally {
      lock.unlock();
    }
    wake(w);
    return true;
  }

  private void resumeReadingIfDrained() {
    lock.lock();
    try {
      if (!readPaused || inbound.size() >= READ_AHEAD_MESSAGES) {
        return;
      }
      readPaused = false;
    } finally {
      lock.unlock();
    }
    onEventLoop(
        () -> {
          Http2StreamChannel s = stream;
          if (s != null) {
            s.read();
          }
        });
  }

  private static void wake(@Nullable Waker w) {
    if (w != null) {
      w.wake();
    }
  }

  private void onEventLoop(Runnable task) {
    if (eventLoop.inEventLoop()) {
      task.run();
    } else {
      eventLoop.execute(task);
    }
  }

  /** The stream's inbound side, on the event loop. */
  private final class Inbound extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof Http2HeadersFrame frame) {
          onHeaders(frame);
        } else if (msg instanceof Http2DataFrame frame) {
          onData(frame);
        }
      } finally {
        io.netty.util.ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof Http2ResetFrame reset) {
        complete(ClientHeaders.statusForReset(reset.errorCode()), HttpHeaders.empty());
      }
      ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      boolean readMore;
      lock.lock();
      try {
        readMore = status == null && inbound.size() < READ_AHEAD_MESSAGES;
        readPaused = !readMore && status == null;
      } finally {
        lock.unlock();
      }
      if (readMore) {
        ctx.read();
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      Waker w;
      lock.lock();
      try {
        writable = ctx.channel().isWritable();
        w = waiter;
      } finally {
        lock.unlock();
      }
      wake(w);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      complete(Status.of(StatusCode.UNAVAILABLE, "stream closed before the call ended"), HttpHeaders.empty());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      fail(Status.of(StatusCode.INTERNAL, "stream error: " + cause));
    }

    private void onHeaders(Http2HeadersFrame frame) {
      Http2Headers headers = frame.headers();
      if (GrpcHeaders.listSize(headers) > limits.maxMetadataBytes()) {
        fail(Status.of(StatusCode.RESOURCE_EXHAUSTED, "response metadata over " + limits.maxMetadataBytes() + " bytes"));
        return;
      }
      if (!sawHeaders) {
        sawHeaders = true;
        Status broken = ClientHeaders.checkResponse(headers);
        if (broken != null) {
          fail(broken);
          return;
        }
        CharSequence encoding = headers.get(GrpcHeaders.GRPC_ENCODING);
        deframer = new MessageDeframer(limits.maxInboundMessageBytes(), encoding == null ? null : encoding.toString());
        if (!frame.isEndStream()) {
          Waker w;
          lock.lock();
          try {
            responseHeaders = ClientHeaders.metadata(headers);
            w = waiter;
          } finally {
            lock.unlock();
          }
          wake(w);
          return;
        }
      } else if (!frame.isEndStream()) {
        fail(Status.of(StatusCode.INTERNAL, "trailers without END_STREAM"));
        return;
      }
      // Trailers, or a trailers-only response.
      MessageDeframer d = deframer;
      if (d != null && !d.isIdle()) {
        fail(Status.of(StatusCode.INTERNAL, "response ended inside a message"));
        return;
      }
      Status finalStatus = GrpcHeaders.statusFromTrailers(headers.get(GrpcHeaders.GRPC_STATUS), headers.get(GrpcHeaders.GRPC_MESSAGE));
      complete(finalStatus, ClientHeaders.metadata(headers));
      Http2StreamChannel s = stream;
      if (s != null) {
        s.close(); // resets the stream if we had not half-closed; the server is done with it
      }
    }

    private void onData(Http2DataFrame frame) {
      MessageDeframer d = deframer;
      if (d == null) {
        fail(Status.of(StatusCode.INTERNAL, "DATA before response headers"));
        return;
      }
      if (isDone()) {
        return;
      }
      try {
        d.feed(frame.content(), ClientCall.this::enqueue);
        if (frame.isEndStream()) {
          fail(Status.of(StatusCode.INTERNAL, "response ended without trailers"));
        }
      } catch (GrpcStatusException e) {
        fail(e.status());
      }
    }
  }

  private void enqueue(byte[] message) {
    Waker w;
    lock.lock();
    try {
      inbound.add(message);
      w = waiter;
    } finally {
      lock.unlock();
    }
    wake(w);
  }
}
