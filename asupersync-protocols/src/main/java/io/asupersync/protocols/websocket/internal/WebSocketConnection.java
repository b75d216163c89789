package io.asupersync.protocols.websocket.internal;

import io.asupersync.Cx;
import io.asupersync.Outcome;
import io.asupersync.Waker;
import io.asupersync.channel.ChannelClosedException;
import io.asupersync.channel.MpscChannel;
import io.asupersync.protocols.http.HttpHeaders;
import io.asupersync.protocols.http.internal.ServerEngine;
import io.asupersync.protocols.websocket.CloseStatus;
import io.asupersync.protocols.websocket.WebSocketClosedException;
import io.asupersync.protocols.websocket.WebSocketHandler;
import io.asupersync.protocols.websocket.WebSocketLimits;
import io.asupersync.protocols.websocket.WebSocketMessage;
import io.asupersync.protocols.websocket.WebSocketRejectionReason;
import io.asupersync.protocols.websocket.WebSocketSession;
import io.asupersync.trace.TraceBuffer;
import io.asupersync.trace.TraceKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * One WebSocket connection after the opening handshake: the Netty handler that reads and writes
 * frames, and the {@link WebSocketSession} tasks use. It must be the last handler of the pipeline, with
 * raw bytes (after TLS, if any) arriving at it.
 *
 * <p>Threads: reading, control frames, the close handshake and the timers run on the channel's event
 * loop (fields marked "loop"); tasks call the session methods, which hand messages over through a
 * bounded core channel, encode under {@link #writeLock} and enqueue writes that this handler checks on
 * the loop, so nothing reaches the wire after the close frame.
 *
 * <p>The close handshake: whichever side closes first, exactly one close frame goes out. After both
 * close frames (or after failing the connection) the server half-closes TCP and waits for the client's
 * FIN; the client waits for the server's. Every wait is bounded by {@link WebSocketLimits#closeTimeout()}.
 */
public final class WebSocketConnection extends ChannelDuplexHandler implements WebSocketSession {

  private static final System.Logger LOG = System.getLogger(WebSocketConnection.class.getName());

  private final boolean client;
  private final WebSocketLimits limits;
  private final String target;
  private final HttpHeaders handshakeHeaders;
  private final @Nullable String subprotocol;
  private final boolean compressed;
  private final @Nullable TraceBuffer trace;
  private final Consumer<WebSocketRejectionReason> rejections;
  private final FrameReader reader;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final FrameWriter writer; // guarded by writeLock, except for control frames (stateless)
  private final RandomGenerator loopMasks; // loop: masks of control frames (client)
  private final MpscChannel<WebSocketMessage> inbound;
  private final ConcurrentLinkedQueue<Waker> writableWaiters = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Waker> stateWaiters = new ConcurrentLinkedQueue<>();

  private @Nullable ChannelHandlerContext ctx;
  private volatile @Nullable Channel channel;

  // loop
  private @Nullable ByteBuf cumulation;
  private @Nullable WebSocketMessage pending;
  private boolean closeSent;
  private boolean closeReceived;
  private boolean failed;
  private boolean awaitingPong;
  private boolean heardSincePing;
  private @Nullable ScheduledFuture<?> closeTimer;
  private @Nullable ScheduledFuture<?> pingTimer;

  // written on the loop, read by tasks
  private volatile boolean outputClosed;
  private volatile boolean paused;
  private volatile @Nullable CloseStatus firstClose;
  private volatile @Nullable CloseStatus finalStatus;
  private volatile boolean abnormal;
  private volatile boolean handlerRunning;
  private volatile boolean serverShutdown;

  /**
   * @param client whether this is the client end (masks its frames, expects unmasked ones)
   * @param deflate the permessage-deflate agreement, null when none
   * @param loopMasks masks for the control frames the event loop sends (client only)
   * @param trace where protocol errors and limit hits are recorded, null for nowhere
   * @param rejections counts each reason this connection fails or closes for (called on the event loop)
   */
  public WebSocketConnection(
      boolean client,
      WebSocketLimits limits,
      Handshake.@Nullable DeflateAgreement deflate,
      String target,
      HttpHeaders handshakeHeaders,
      @Nullable String subprotocol,
      RandomGenerator loopMasks,
      @Nullable TraceBuffer trace,
      Consumer<WebSocketRejectionReason> rejections) {
    this.client = client;
    this.limits = limits;
    this.target = target;
    this.handshakeHeaders = handshakeHeaders;
    this.subprotocol = subprotocol;
    this.compressed = deflate != null;
    this.trace = trace;
    this.rejections = rejections;
    this.loopMasks = loopMasks;
    boolean peerResets = deflate != null && (client ? deflate.serverNoContextTakeover() : deflate.clientNoContextTakeover());
    boolean weReset = deflate != null && (client ? deflate.clientNoContextTakeover() : deflate.serverNoContextTakeover());
    this.reader = new FrameReader(!client, limits, deflate != null, peerResets);
    this.writer = new FrameWriter(client, limits, deflate != null, weReset);
    this.inbound = MpscChannel.bounded(limits.inboundQueue());
  }

  // ---- the event loop side

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    this.ctx = context;
    Channel ch = context.channel();
    this.channel = ch;
    ch.closeFuture().addListener((ChannelFutureListener) f -> onClosed());
    // An event loop that shuts down with the channel open closes it but can no longer run the close
    // future's listeners: its termination (notified elsewhere) must end the connection too.
    context.executor().terminationFuture().addListener(loopTerminated);
    long interval = limits.pingInterval().toNanos();
    if (interval > 0) {
      pingTimer = context.executor().scheduleAtFixedRate(this::keepalive, interval, interval, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object msg) {
    if (!(msg instanceof ByteBuf bytes)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (failed || closeReceived) {
      bytes.release(); // after the peer's close frame, or once we failed the connection, input is ignored
      return;
    }
    heardSincePing = true;
    ByteBuf acc = cumulation;
    cumulation = acc == null ? bytes : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(context.alloc(), acc, bytes);
    drain(context);
  }

  /** Reads events until the bytes run out, a message waits for queue room, or the input ends. */
  private void drain(ChannelHandlerContext context) {
    ByteBuf acc = cumulation;
    while (acc != null && pending == null && !failed && !closeReceived) {
      Inbound event;
      try {
        event = reader.next(acc);
      } catch (WebSocketProtocolException e) {
        fail(context, e.status(), e.reason());
        break;
      }
      if (event == null) {
        break;
      }
      handle(context, event);
    }
    if (acc != null) {
      if (!acc.isReadable() || failed || closeReceived) {
        acc.release();
        cumulation = null;
      } else {
        acc.discardSomeReadBytes();
      }
    }
  }

  private void handle(ChannelHandlerContext context, Inbound event) {
    switch (event) {
      case Inbound.Data data -> deliver(context, data.message());
      case Inbound.Ping ping -> {
        if (!closeSent) {
          context.writeAndFlush(writer.control(context.alloc(), FrameReader.PONG, ping.payload(), loopMasks));
        }
      }
      case Inbound.Pong pong -> awaitingPong = false;
      case Inbound.Close close -> {
        closeReceived = true;
        if (firstClose == null) {
          firstClose = close.status();
        }
        inbound.close();
        if (!closeSent) {
          int code = close.status().code() == CloseStatus.NO_STATUS ? CloseStatus.NORMAL : close.status().code();
          sendClose(context, CloseStatus.of(code));
        }
        finish(context);
      }
    }
  }

  private void deliver(ChannelHandlerContext context, WebSocketMessage message) {
    if (closeSent) {
      return; // the application asked to close: later messages are not delivered
    }
    try {
      if (inbound.trySend(message)) {
        return;
      }
    } catch (ChannelClosedException e) {
      return;
    }
    if (limits.closeSlowConsumers()) {
      record(TraceKind.LIMIT_EXCEEDED, CloseStatus.TRY_AGAIN_LATER, "slow consumer");
      fail(context, new CloseStatus(CloseStatus.TRY_AGAIN_LATER, "slow consumer"), WebSocketRejectionReason.SLOW_CONSUMER);
    } else {
      pending = message;
      paused = true;
      context.channel().config().setAutoRead(false);
    }
  }

  /** A receive made room: move the held message in and read on (loop). */
  private void resume() {
    ChannelHandlerContext context = ctx;
    WebSocketMessage held = pending;
    if (context == null || held == null) {
      return;
    }
    try {
      if (!inbound.trySend(held)) {
        return;
      }
    } catch (ChannelClosedException e) {
      // closed meanwhile: the held message has nobody to go to
    }
    pending = null;
    drain(context);
    if (pending == null) {
      paused = false;
      if (!failed && !closeReceived && context.channel().isActive()) {
        context.channel().config().setAutoRead(true);
      }
    }
  }

  /** Fails the connection: one close frame with {@code status}, then the connection ends (loop). */
  private void fail(ChannelHandlerContext context, CloseStatus status, WebSocketRejectionReason reason) {
    if (failed) {
      return;
    }
    failed = true;
    rejections.accept(reason);
    if (status.code() != CloseStatus.TRY_AGAIN_LATER) {
      record(status.code() == CloseStatus.MESSAGE_TOO_BIG ? TraceKind.LIMIT_EXCEEDED : TraceKind.PROTOCOL_ERROR, status.code(), status.reason());
    }
    sendClose(context, status); // records the status before closing the inbound queue: receivers report it
    finish(context);
  }

  /** Sends the one close frame of this side, if not sent yet, and arms the close timeout (loop). */
  private void sendClose(ChannelHandlerContext context, CloseStatus status) {
    if (closeSent) {
      return;
    }
    closeSent = true;
    if (firstClose == null) {
      firstClose = status; // before the flags tasks read, so that they report it
    }
    outputClosed = true;
    inbound.close();
    wakeAll(writableWaiters);
    if (paused) {
      // Held messages will not be delivered now; read on so the peer's close frame is seen.
      pending = null;
      paused = false;
      context.channel().config().setAutoRead(true);
    }
    context.writeAndFlush(writer.closeFrame(context.alloc(), status, loopMasks));
    closeTimer = context.executor().schedule(() -> {
      context.close();
    }, limits.closeTimeout().toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Both close frames went (or we failed the connection): the server half-closes TCP after its close
   * frame is flushed, so the client sees EOF after it; the client waits for the server's FIN. The close
   * timer ends either wait (loop).
   */
  private void finish(ChannelHandlerContext context) {
    if (client && !failed) {
      return;
    }
    context.writeAndFlush(context.alloc().buffer(0)).addListener((ChannelFutureListener) f -> {
      Channel ch = f.channel();
      if (ch.pipeline().get(SslHandler.class) == null && ch instanceof DuplexChannel duplex && !client) {
        duplex.shutdownOutput();
      } else {
        ch.close();
      }
    });
  }

  private void keepalive() {
    ChannelHandlerContext context = ctx;
    if (context == null || closeSent || paused) {
      return; // a paused connection is not read, so the peer's pong could not have been seen
    }
    if (awaitingPong && !heardSincePing) {
      failed = true;
      rejections.accept(WebSocketRejectionReason.KEEPALIVE_TIMEOUT);
      record(TraceKind.PROTOCOL_ERROR, CloseStatus.GOING_AWAY, "keepalive timeout");
      sendClose(context, new CloseStatus(CloseStatus.GOING_AWAY, "keepalive timeout"));
      context.close(); // the peer is unresponsive: do not wait for an answer
      return;
    }
    awaitingPong = true;
    heardSincePing = false;
    context.writeAndFlush(writer.control(context.alloc(), FrameReader.PING, new byte[0], loopMasks));
  }

  @Override
  public void write(ChannelHandlerContext context, Object msg, ChannelPromise promise) {
    if (msg instanceof Outbound outbound) {
      if (closeSent) {
        outbound.release(); // enqueued before the close frame was decided: never after it on the wire
        promise.setFailure(new WebSocketClosedException(closeStatusNow()));
      } else {
        context.write(outbound.content(), promise);
      }
      return;
    }
    context.write(msg, promise);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext context, Object evt) {
    if (evt == ServerEngine.SHUTDOWN_EVENT) {
      serverShutdown = true;
      sendClose(context, new CloseStatus(CloseStatus.GOING_AWAY, "server shutting down"));
      drain(context);
      wakeAll(stateWaiters);
      return;
    }
    context.fireUserEventTriggered(evt);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext context) {
    wakeAll(writableWaiters);
    context.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) {
    // onClosed (the close future's listener) did the work; the event stops here.
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    LOG.log(System.Logger.Level.DEBUG, "websocket connection failed", cause);
    context.close();
  }

  private final GenericFutureListener<Future<Object>> loopTerminated = f -> onClosed();
  private final AtomicBoolean closedOnce = new AtomicBoolean();

  /** The channel closed, whoever closed it (on the loop, or after the loop terminated). */
  private void onClosed() {
    if (!closedOnce.compareAndSet(false, true)) {
      return;
    }
    ChannelHandlerContext context = ctx;
    if (context != null) {
      context.executor().terminationFuture().removeListener(loopTerminated);
    }
    cancel(closeTimer);
    cancel(pingTimer);
    ByteBuf acc = cumulation;
    if (acc != null) {
      acc.release();
      cumulation = null;
    }
    pending = null;
    reader.close();
    if (writeLock.tryLock()) {
      try {
        writer.close();
      } finally {
        writeLock.unlock();
      }
    }
    outputClosed = true;
    // A close that one side started and the other never answered is still a close: only broken rules,
    // keepalive failures and a connection lost before any close frame count as abnormal.
    abnormal = failed || firstClose == null;
    CloseStatus first = firstClose;
    finalStatus = first != null ? first : CloseStatus.of(CloseStatus.ABNORMAL);
    inbound.close();
    wakeAll(writableWaiters);
    wakeAll(stateWaiters);
  }

  private static void cancel(@Nullable ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  private static void wakeAll(ConcurrentLinkedQueue<Waker> waiters) {
    for (Waker w; (w = waiters.poll()) != null; ) {
      w.wake();
    }
  }

  private void record(TraceKind kind, int code, String reason) {
    TraceBuffer t = trace;
    if (t != null) {
      t.record(kind, 0, 0, 0, Map.of("protocol", "websocket", "code", Integer.toString(code), "reason", reason, "side", client ? "client" : "server"));
    }
  }

  /**
   * Frames a task encoded; checked against the close handshake on the loop. Reference-counted so that
   * Netty releases the frames if the write never reaches this handler.
   */
  private static final class Outbound extends DefaultByteBufHolder {
    Outbound(ByteBuf frames) {
      super(frames);
    }
  }

  // ---- the task side

  @Override
  public WebSocketMessage receive(Cx cx) throws WebSocketClosedException {
    WebSocketMessage message;
    try {
      message = inbound.recv(cx);
    } catch (ChannelClosedException e) {
      throw new WebSocketClosedException(closeStatusNow());
    }
    if (paused) {
      onLoop(this::resume);
    }
    return message;
  }

  @Override
  public void send(Cx cx, WebSocketMessage message) throws WebSocketClosedException {
    Channel ch = requireChannel();
    awaitWritable(cx, ch);
    writeLock.lock();
    try {
      if (outputClosed || !ch.isActive()) {
        // Once inactive, the writer may have been closed (it is only closed then): never use it after.
        throw new WebSocketClosedException(closeStatusNow());
      }
      ByteBuf frames = writer.message(ch.alloc(), message, cx.random());
      ch.writeAndFlush(new Outbound(frames));
    } finally {
      if (!ch.isActive()) {
        writer.close(); // the loop may not have got the lock to free the deflater
      }
      writeLock.unlock();
    }
  }

  private void awaitWritable(Cx cx, Channel ch) throws WebSocketClosedException {
    cx.checkpoint();
    while (true) {
      if (outputClosed || !ch.isActive()) {
        throw new WebSocketClosedException(closeStatusNow());
      }
      if (ch.isWritable()) {
        return;
      }
      writableWaiters.add(cx.waker());
      if (ch.isWritable() || outputClosed || !ch.isActive()) {
        continue;
      }
      cx.park(null);
      cx.checkpoint();
    }
  }

  @Override
  public void close(Cx cx, int code, String reason) {
    if (!CloseStatus.isSendable(code)) {
      throw new IllegalArgumentException("close code " + code + " may not be sent");
    }
    closeIfOpen(new CloseStatus(code, reason));
    awaitClosed(cx, null);
  }

  /** Starts the close handshake with {@code status} unless it started; does not wait. */
  public void closeIfOpen(CloseStatus status) {
    onLoop(() -> {
      ChannelHandlerContext context = ctx;
      if (context != null && !closeSent && context.channel().isActive()) {
        sendClose(context, status);
        drain(context); // bytes held back while paused may hold the peer's close frame
      }
    });
  }

  /** Runs {@code action} on the event loop; a loop that has shut down has closed the connection already. */
  private void onLoop(Runnable action) {
    Channel ch = channel;
    if (ch == null) {
      return;
    }
    try {
      ch.eventLoop().execute(action);
    } catch (RejectedExecutionException loopGone) {
      // nothing left to do: the connection ended with its loop
    }
  }

  /**
   * Waits until the connection is closed or {@code deadline} passes (null: no deadline); a
   * cancellation point unless masked.
   *
   * @return whether the connection is closed
   */
  public boolean awaitClosed(Cx cx, @Nullable Instant deadline) {
    return await(cx, deadline, () -> finalStatus != null);
  }

  /** Waits until {@code condition} (on state the loop changes) holds or {@code deadline} passes. */
  private boolean await(Cx cx, @Nullable Instant deadline, BooleanSupplier condition) {
    while (!condition.getAsBoolean()) {
      stateWaiters.add(cx.waker());
      if (condition.getAsBoolean()) {
        break;
      }
      if (deadline != null && !cx.now().isBefore(deadline)) {
        return false;
      }
      cx.park(deadline);
      if (condition.getAsBoolean()) {
        break;
      }
      cx.checkpoint();
    }
    return true;
  }

  private CloseStatus closeStatusNow() {
    CloseStatus status = finalStatus;
    if (status == null) {
      status = firstClose;
    }
    return status != null ? status : CloseStatus.of(CloseStatus.ABNORMAL);
  }

  private Channel requireChannel() {
    Channel ch = channel;
    if (ch == null) {
      throw new IllegalStateException("connection is not attached to a channel yet");
    }
    return ch;
  }

  @Override
  public boolean isOpen() {
    Channel ch = channel;
    return !outputClosed && firstClose == null && ch != null && ch.isActive();
  }

  @Override
  public Optional<CloseStatus> closeStatus() {
    return Optional.ofNullable(finalStatus);
  }

  @Override
  public String target() {
    return target;
  }

  @Override
  public HttpHeaders handshakeHeaders() {
    return handshakeHeaders;
  }

  @Override
  public Optional<String> subprotocol() {
    return Optional.ofNullable(subprotocol);
  }

  @Override
  public boolean compressed() {
    return compressed;
  }

  /**
   * Runs {@code handler} for this server connection in a region of its own, then closes the session
   * (1000 after a normal return, 1001 when the region was cancelled, 1011 when the handler failed) and
   * waits, masked and at most the close timeout, for the connection to close. Server shutdown (1001),
   * and a connection that ends abnormally (protocol error, limit, lost TCP, keepalive timeout) while the
   * handler runs, cancel the region.
   *
   * @return the region's outcome
   */
  public Outcome<Void> serve(Cx cx, WebSocketHandler handler) {
    Outcome<Void> outcome = cx.scope(scope -> {
      handlerRunning = true;
      scope.spawn("websocket-watch", w -> {
        await(w, null, () -> finalStatus != null || serverShutdown);
        if (handlerRunning && serverShutdown) {
          w.cancelScope("server shutting down");
        } else if (handlerRunning && abnormal) {
          w.cancelScope("websocket connection ended: " + closeStatusNow().code());
        }
        return null;
      });
      boolean returned = false;
      try {
        handler.onConnect(scope, this);
        returned = true;
      } catch (WebSocketClosedException peerClosed) {
        returned = true; // the handler let "closed" propagate: an ordinary end
      } finally {
        handlerRunning = false;
        int code = scope.isCancelRequested() ? CloseStatus.GOING_AWAY : returned ? CloseStatus.NORMAL : CloseStatus.INTERNAL_ERROR;
        closeIfOpen(CloseStatus.of(code));
      }
      return null;
    });
    if (outcome instanceof Outcome.Cancelled<?>) {
      closeIfOpen(CloseStatus.of(CloseStatus.GOING_AWAY));
    } else if (!outcome.isOk()) {
      closeIfOpen(CloseStatus.of(CloseStatus.INTERNAL_ERROR));
    }
    Instant deadline = cx.now().plus(limits.closeTimeout()).plus(Duration.ofSeconds(1));
    cx.runMasked(() -> awaitClosed(cx, deadline));
    return outcome;
  }
}
