package io.asupersync.protocols.redis;

import io.asupersync.CancelledException;
import io.asupersync.Cx;
import io.asupersync.Waker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One unit written with one flush (a command, a pipeline, a transaction) and the replies it waits for.
 *
 * <p>The flush is the commit point. A call is {@code QUEUED} until the connection's event loop claims
 * it for writing ({@code SENT}); a caller cancelled before that takes it back ({@code
 * CANCELLED_UNSENT}) and nothing reaches the wire. A caller cancelled after it is released at once
 * ({@code ABANDONED}); the replies are still read in order, and {@link #settler} gets them to undo
 * what would otherwise be lost. Every call ends exactly once, through {@link Connection#ended}.
 */
final class Call {
  static final int QUEUED = 0;
  static final int SENT = 1;
  static final int DONE = 2;
  static final int FAILED = 3;
  static final int CANCELLED_UNSENT = 4;
  static final int ABANDONED = 5;

  final String name;
  final List<RedisCommand> commands;
  final long taskId;
  final long regionId;
  private final AtomicInteger state = new AtomicInteger(QUEUED);
  private final ArrayList<RespValue> replies;
  private final int expectedReplies;
  private volatile @Nullable RedisException failure;
  private volatile @Nullable Waker waker;
  /** Runs on the event loop once the call is DONE or FAILED (async users: health checks, handshakes). */
  volatile @Nullable Consumer<Call> listener;
  /** Runs on the event loop with the replies of an ABANDONED call; may queue follow-up calls. */
  volatile @Nullable Settler settler;
  /** Whether a final state was reached and accounted (event loop only). */
  volatile boolean ended;

  /** Undoes the effect of replies that no caller will see. */
  interface Settler {
    void settle(Connection connection, List<RespValue> replies);
  }

  Call(String name, List<RedisCommand> commands, long taskId, long regionId) {
    this(name, commands, commands.size(), taskId, regionId);
  }

  /** A call whose commands answer {@code expectedReplies} replies in all (SUBSCRIBE answers one per channel). */
  Call(String name, List<RedisCommand> commands, int expectedReplies, long taskId, long regionId) {
    this.name = name;
    this.commands = List.copyOf(commands);
    this.expectedReplies = expectedReplies;
    this.taskId = taskId;
    this.regionId = regionId;
    this.replies = new ArrayList<>(expectedReplies);
  }

  int state() {
    return state.get();
  }

  /** Event loop, before writing: whether the call is still wanted (then it counts as sent). */
  boolean claimForSend() {
    return state.compareAndSet(QUEUED, SENT);
  }

  /** Event loop: one reply arrived; returns whether it was the last one expected. */
  boolean addReply(RespValue reply) {
    replies.add(reply);
    return replies.size() == expectedReplies;
  }

  @Nullable RedisException failure() {
    return failure;
  }

  List<RespValue> replies() {
    return replies;
  }

  /**
   * Event loop: all replies arrived. Returns false when the caller had abandoned the call. The caller
   * is woken by {@link #wake()} once the call was accounted, so what it observes next includes it.
   */
  boolean complete() {
    return state.compareAndSet(SENT, DONE);
  }

  /** Event loop: the call cannot complete. Returns false when the caller had abandoned the call. */
  boolean fail(RedisException error) {
    failure = error;
    return state.compareAndSet(SENT, FAILED) || state.compareAndSet(QUEUED, FAILED);
  }

  void wake() {
    Waker w = waker;
    if (w != null) {
      w.wake();
    }
  }

  /**
   * Waits for the replies. On cancellation before the flush nothing is sent; after it, the caller is
   * released and {@code onAbandon} runs (the reply is settled in the background). If the replies
   * arrived as the cancellation came in, they are returned and the next checkpoint observes it.
   */
  List<RespValue> await(Cx cx, Runnable onAbandon) throws RedisException {
    waker = cx.waker();
    while (true) {
      int s = state.get();
      if (s == DONE) {
        return replies;
      }
      if (s == FAILED) {
        throw java.util.Objects.requireNonNull(failure);
      }
      try {
        cx.checkpoint();
      } catch (CancelledException e) {
        if (state.compareAndSet(QUEUED, CANCELLED_UNSENT)) {
          throw e;
        }
        if (state.compareAndSet(SENT, ABANDONED)) {
          onAbandon.run();
          throw e;
        }
        continue; // finished meanwhile: hand out the result
      }
      s = state.get();
      if (s != DONE && s != FAILED) {
        cx.park(null);
      }
    }
  }
}
