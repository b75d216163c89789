package io.asupersync.protocols.redis;

import io.asupersync.Cx;
import io.asupersync.channel.ChannelClosedException;
import io.asupersync.channel.MpscChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A pub/sub subscriber on its own connection (a subscribed connection can carry nothing else).
 * Messages are delivered into a bounded core channel of {@value #CAPACITY} messages; when the receiver
 * falls behind, the client stops reading the socket (the server buffers, up to its own client output
 * limit) and resumes as the receiver catches up. Works with RESP2 (messages as arrays) and RESP3
 * (messages as push frames). Pub/sub is at-most-once: messages published while the connection is
 * down are not seen; use streams for delivery that must not be lost.
 */
public final class RedisSubscription implements AutoCloseable {

  /** Messages buffered for the receiver before the client stops reading the socket. */
  public static final int CAPACITY = 1024;

  private final RedisClient client;
  private final Connection connection;
  private final MpscChannel<PubSubMessage> messages = MpscChannel.bounded(CAPACITY);
  /** Event loop only: messages decoded while the channel was full. */
  private final ArrayDeque<PubSubMessage> overflow = new ArrayDeque<>();
  private volatile boolean paused;
  private volatile @Nullable String lostReason;

  RedisSubscription(RedisClient client, Connection connection) {
    this.client = client;
    this.connection = connection;
  }

  /** Subscribes to {@code channels}; returns once the server confirmed each one. */
  public void subscribe(Cx cx, String... channels) throws RedisException {
    run(cx, "SUBSCRIBE", channels);
  }

  /** Subscribes to channels matching {@code patterns} (glob-style). */
  public void psubscribe(Cx cx, String... patterns) throws RedisException {
    run(cx, "PSUBSCRIBE", patterns);
  }

  public void unsubscribe(Cx cx, String... channels) throws RedisException {
    run(cx, "UNSUBSCRIBE", channels);
  }

  public void punsubscribe(Cx cx, String... patterns) throws RedisException {
    run(cx, "PUNSUBSCRIBE", patterns);
  }

  private void run(Cx cx, String command, String... names) throws RedisException {
    if (names.length == 0) {
      throw new IllegalArgumentException(command + " needs at least one name");
    }
    Call call = new Call(command, List.of(RedisCommand.of(command, (Object[]) names)), names.length, cx.taskId(), cx.regionId());
    for (RespValue reply : client.run(cx, connection, call)) {
      if (reply instanceof RespValue.ErrorReply error) {
        throw new RedisServerException(command, error);
      }
    }
  }

  /**
   * Takes the next message, waiting for one (a checkpoint: cancellation takes no message).
   *
   * @throws RedisConnectionException once the subscription is closed or its connection lost, and
   *     every message received before that was taken
   */
  public PubSubMessage receive(Cx cx) throws RedisException {
    return Objects.requireNonNull(receive(cx, null));
  }

  /** Like {@link #receive(Cx)}, waiting at most {@code timeout}; null if nothing arrived in time. */
  public @Nullable PubSubMessage receive(Cx cx, @Nullable Duration timeout) throws RedisException {
    PubSubMessage m;
    try {
      m = timeout == null ? messages.recv(cx) : messages.recv(cx, timeout);
    } catch (ChannelClosedException e) {
      String why = lostReason;
      throw new RedisConnectionException("subscription closed" + (why == null ? "" : ": " + why), null);
    }
    if (paused) {
      connection.channel().eventLoop().execute(this::drainOverflow);
    }
    return m;
  }

  /** Event loop: takes pub/sub messages; returns false for anything else (a reply to a call). */
  boolean offer(RespValue value) {
    List<RespValue> items = value.elements();
    if (!(value instanceof RespValue.ArrayReply || value instanceof RespValue.PushReply) || items.isEmpty()) {
      return false;
    }
    String kind = items.get(0).asString();
    PubSubMessage m;
    if (("message".equals(kind) || "smessage".equals(kind)) && items.size() == 3) {
      m = new PubSubMessage(text(items.get(1)), null, bytes(items.get(2)));
    } else if ("pmessage".equals(kind) && items.size() == 4) {
      m = new PubSubMessage(text(items.get(2)), text(items.get(1)), bytes(items.get(3)));
    } else {
      return false;
    }
    client.recordDelivery();
    try {
      if (!overflow.isEmpty() || !messages.trySend(m)) {
        overflow.add(m);
        if (!paused) {
          paused = true;
          connection.channel().config().setAutoRead(false);
        }
      }
    } catch (ChannelClosedException e) {
      // Closed by the user: drop what still arrives.
    }
    return true;
  }

  private void drainOverflow() {
    try {
      while (!overflow.isEmpty() && messages.trySend(overflow.peekFirst())) {
        overflow.pollFirst();
      }
    } catch (ChannelClosedException e) {
      overflow.clear();
    }
    if (overflow.isEmpty() && paused) {
      paused = false;
      connection.channel().config().setAutoRead(true);
    }
  }

  /** The connection went away: the receiver drains what arrived, then sees the subscription closed. */
  void connectionLost() {
    lostReason = "connection lost";
    List<PubSubMessage> rest = new ArrayList<>(overflow);
    overflow.clear();
    for (PubSubMessage m : rest) {
      try {
        if (!messages.trySend(m)) {
          break;
        }
      } catch (ChannelClosedException e) {
        break;
      }
    }
    messages.close();
  }

  /** Closes the connection; a waiting receiver drains what arrived and then sees the subscription closed. */
  @Override
  public void close() {
    if (lostReason == null) {
      lostReason = "closed";
    }
    client.subscriptionClosed(this);
    connection.discard("subscription closed", null);
  }

  private static String text(RespValue v) {
    String s = v.asString();
    return s == null ? "" : s;
  }

  private static byte[] bytes(RespValue v) {
    if (v instanceof RespValue.BulkString b) {
      return b.bytes();
    }
    return text(v).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
