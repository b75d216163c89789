package io.asupersync.protocols.redis;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * One TCP connection to the server and its reply queue. Replies arrive in the order calls were
 * flushed, so the head of {@link #pending} owns the next reply. Push frames (RESP3) go out of band;
 * in subscriber mode, pub/sub messages go to the subscription. Anything the decoder refuses, a reply
 * nobody waits for, a failed write or a lost socket discards the connection: every pending call fails
 * as outcome unknown, and nothing is ever resynchronised in place.
 */
final class Connection extends ChannelInboundHandlerAdapter {

  final RedisClient client;
  final long id;
  final long createdNanos;
  private volatile @Nullable Channel channel;
  /** Event loop only. */
  private final ArrayDeque<Call> pending = new ArrayDeque<>();
  /** Calls submitted and not yet ended; a connection returns to its pool only at zero. */
  final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean broken;
  /** Why the connection was discarded (event loop): a call that comes after is failed with it. */
  private @Nullable String brokenWhy;
  private @Nullable Throwable brokenCause;
  /** Server-side id (CLIENT ID / HELLO), for CLIENT UNBLOCK; 0 until the handshake tells it. */
  volatile long serverId;
  /** Set for a subscriber connection: pub/sub messages go here, not to {@link #pending}. */
  volatile @Nullable RedisSubscription subscription;

  // Pool bookkeeping, guarded by the pool's lock. Control and subscriber connections are never pooled.
  boolean pooled;
  boolean leased;
  boolean idle;
  boolean removed;
  long idleSinceNanos;
  long checkedNanos;

  Connection(RedisClient client, long id) {
    this.client = client;
    this.id = id;
    this.createdNanos = System.nanoTime();
    this.checkedNanos = createdNanos;
  }

  void attach(Channel ch) {
    this.channel = ch;
  }

  Channel channel() {
    return java.util.Objects.requireNonNull(channel, "not connected");
  }

  boolean isBroken() {
    return broken || channel == null || !channel.isActive();
  }

  /** Queues {@code call} for the event loop, which flushes it unless the caller took it back first. */
  void submit(Call call) {
    inFlight.incrementAndGet();
    try {
      channel().eventLoop().execute(() -> send(call));
    } catch (RejectedExecutionException e) {
      // The client is closing: the event loop is gone, so nothing can have been sent.
      if (call.fail(new RedisConnectionException("client closed", null))) {
        call.ended = true;
        client.recordCall(call, CallResult.NOT_SENT);
      }
      inFlight.decrementAndGet();
      call.wake();
    }
  }

  /** Event loop: queues {@code call} right behind what is in flight (settlers use it). */
  void submitFromLoop(Call call) {
    inFlight.incrementAndGet();
    send(call);
  }

  private void send(Call call) {
    if (!call.claimForSend()) {
      ended(call, CallResult.CANCELLED_BEFORE_SEND);
      return;
    }
    Channel ch = channel();
    if (broken || !ch.isActive()) {
      // with the reason it was discarded: a failed TLS handshake closes the channel before the first call
      call.fail(new RedisConnectionException(
          "connection " + id + " is closed" + (brokenWhy == null ? "" : " (" + brokenWhy + ")") + "; " + call.name + " was not sent",
          brokenCause));
      ended(call, CallResult.NOT_SENT);
      return;
    }
    pending.add(call);
    ByteBuf out = RedisCommand.encode(ch.alloc(), call.commands);
    ch.writeAndFlush(out).addListener(f -> {
      if (!f.isSuccess()) {
        discard("write failed", f.cause());
      }
    });
  }

  /** Caller thread: the caller gave up on a flushed call; make sure its reply settles or the connection goes. */
  void abandoned(Call call) {
    if (RedisCommands.isBlocking(call.commands)) {
      client.unblock(this, call);
    }
    try {
      channel().eventLoop().schedule(() -> {
        if (!call.ended) {
          discard("reply to a cancelled " + call.name + " not settled within " + client.settleTimeout, null);
        }
      }, client.settleTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // Closing: the connection is being discarded anyway.
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    RespValue value = (RespValue) msg;
    RedisSubscription sub = subscription;
    if (sub != null && sub.offer(value)) {
      return;
    }
    if (value instanceof RespValue.PushReply push && sub == null) {
      client.push(push);
      return;
    }
    Call call = pending.peek();
    if (call == null) {
      protocolError(new RespProtocolException(RespProtocolException.Reason.UNEXPECTED_REPLY, "a reply arrived with no command waiting"));
      return;
    }
    if (!call.addReply(value)) {
      return;
    }
    pending.poll();
    List<RespValue> replies = call.replies();
    if (call.complete()) {
      boolean error = replies.size() == 1 && replies.get(0) instanceof RespValue.ErrorReply;
      ended(call, error ? CallResult.ERROR_REPLY : CallResult.OK);
      return;
    }
    // Abandoned by its caller: settle, so nothing the server did for it is lost.
    Call.Settler settler = call.settler;
    if (settler != null && !broken) {
      try {
        settler.settle(this, replies);
      } catch (RuntimeException e) {
        client.logSettleFailure(call, e);
      }
    }
    ended(call, CallResult.CANCELLED_AFTER_SEND);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (c instanceof RespProtocolException rpe) {
      protocolError(rpe);
    } else {
      discard("connection error: " + c.getClass().getSimpleName(), c);
    }
  }

  /** A failed TLS handshake closes the channel next: name the reason before that is all we see. */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
      discard("TLS handshake failed", done.cause());
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    discard("connection closed", null);
    super.channelInactive(ctx);
  }

  private void protocolError(RespProtocolException e) {
    if (!broken) {
      client.traceProtocolError(this, e);
    }
    discard("reply refused: " + e.getMessage(), e);
  }

  /** Closes the connection and fails every pending call as outcome unknown. Idempotent. */
  void discard(String why, @Nullable Throwable cause) {
    Channel ch = channel;
    if (ch != null && !ch.eventLoop().inEventLoop()) {
      try {
        ch.eventLoop().execute(() -> discard(why, cause));
        return;
      } catch (RejectedExecutionException e) {
        // Event loop gone: fall through and fail what is pending from here.
      }
    }
    boolean first = !broken;
    if (first) {
      brokenWhy = why;
      brokenCause = cause;
    }
    broken = true;
    if (ch != null) {
      ch.close();
    }
    Call call;
    while ((call = pending.poll()) != null) {
      call.fail(new RedisOutcomeUnknownException(call.name + " on connection " + id + ": " + why, cause));
      ended(call, CallResult.OUTCOME_UNKNOWN);
    }
    if (first) {
      RedisSubscription sub = subscription;
      if (sub != null) {
        sub.connectionLost();
      }
      client.connectionDiscarded(this);
    }
  }

  /** Event loop: accounts a call's end exactly once and lets the pool take the connection back. */
  void ended(Call call, CallResult result) {
    if (call.ended) {
      return;
    }
    call.ended = true;
    client.recordCall(call, result);
    java.util.function.Consumer<Call> listener = call.listener;
    if (listener != null && (call.state() == Call.DONE || call.state() == Call.FAILED)) {
      listener.accept(call);
    }
    if (inFlight.decrementAndGet() == 0) {
      client.connectionQuiet(this);
    }
    call.wake();
  }

  @Override
  public String toString() {
    return "Connection[" + id + "]";
  }
}
