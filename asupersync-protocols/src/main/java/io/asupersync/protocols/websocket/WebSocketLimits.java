package io.asupersync.protocols.websocket;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timers of one WebSocket endpoint, the same for the server and the client. A peer over a
 * size limit gets close code 1009; a peer that breaks the protocol gets 1002 (1007 for bad UTF-8); both
 * get exactly one close frame, after which the connection is closed.
 *
 * @param maxFrameBytes payload of one frame, checked on the frame header before anything is buffered;
 *     default 16 MiB. Outgoing messages longer than this are split into frames of this size.
 * @param maxMessageBytes payload of one message across its fragments, and the inflate limit: with
 *     permessage-deflate the decompressed message must fit too; also the most fragments a message may
 *     have, so one of empty fragments ends too; default 64 MiB
 * @param closeTimeout how long an endpoint that sent its close frame waits for the peer's close frame
 *     (and then for the TCP close) before closing the connection itself; default 5 s
 * @param pingInterval a ping is sent this often; a peer that has not answered the previous ping with a
 *     pong (or sent anything else) by the next one is closed with 1001; {@link Duration#ZERO} turns
 *     keepalive off; default 30 s
 * @param inboundQueue messages received but not yet taken by {@code receive}; default 16
 * @param closeSlowConsumers what happens when that queue is full: false (default) stops reading from the
 *     socket until the handler catches up (TCP backpressure); true closes the connection with 1013
 * @param permessageDeflate whether permessage-deflate (RFC 7692) is offered by the client and accepted
 *     by the server; decompression is always bounded by {@code maxMessageBytes}; default true
 */
public record WebSocketLimits(
    int maxFrameBytes,
    int maxMessageBytes,
    Duration closeTimeout,
    Duration pingInterval,
    int inboundQueue,
    boolean closeSlowConsumers,
    boolean permessageDeflate) {

  /** The largest payload of a control frame (RFC 6455 section 5.5). */
  public static final int MAX_CONTROL_PAYLOAD = 125;

  /** The largest message limit that can be configured: a message is assembled in one array. */
  public static final int MAX_MESSAGE_LIMIT = Integer.MAX_VALUE - 16;

  public WebSocketLimits {
    if (maxFrameBytes < MAX_CONTROL_PAYLOAD) {
      throw new IllegalArgumentException("maxFrameBytes must be at least 125, was " + maxFrameBytes);
    }
    if (maxMessageBytes > MAX_MESSAGE_LIMIT) {
      throw new IllegalArgumentException("maxMessageBytes must be at most " + MAX_MESSAGE_LIMIT + ", was " + maxMessageBytes);
    }
    if (maxMessageBytes < maxFrameBytes) {
      throw new IllegalArgumentException(
          "maxMessageBytes (" + maxMessageBytes + ") must be at least maxFrameBytes (" + maxFrameBytes + ")");
    }
    Objects.requireNonNull(closeTimeout, "closeTimeout");
    Objects.requireNonNull(pingInterval, "pingInterval");
    if (closeTimeout.isNegative() || closeTimeout.isZero()) {
      throw new IllegalArgumentException("closeTimeout must be positive, was " + closeTimeout);
    }
    if (pingInterval.isNegative()) {
      throw new IllegalArgumentException("pingInterval must not be negative, was " + pingInterval);
    }
    if (inboundQueue < 1) {
      throw new IllegalArgumentException("inboundQueue must be at least 1, was " + inboundQueue);
    }
  }

  /** The defaults from the design: 16 MiB frames, 64 MiB messages, 5 s close timeout, 30 s pings, 16 queued, backpressure, deflate. */
  public static WebSocketLimits defaults() {
    return new WebSocketLimits(
        16 * 1024 * 1024, 64 * 1024 * 1024, Duration.ofSeconds(5), Duration.ofSeconds(30), 16, false, true);
  }

  public WebSocketLimits withMaxFrameBytes(int value) {
    return new WebSocketLimits(value, Math.max(value, maxMessageBytes), closeTimeout, pingInterval, inboundQueue, closeSlowConsumers, permessageDeflate);
  }

  public WebSocketLimits withMaxMessageBytes(int value) {
    return new WebSocketLimits(Math.min(maxFrameBytes, value), value, closeTimeout, pingInterval, inboundQueue, closeSlowConsumers, permessageDeflate);
  }

  public WebSocketLimits withCloseTimeout(Duration value) {
    return new WebSocketLimits(maxFrameBytes, maxMessageBytes, value, pingInterval, inboundQueue, closeSlowConsumers, permessageDeflate);
  }

  public WebSocketLimits withPingInterval(Duration value) {
    return new WebSocketLimits(maxFrameBytes, maxMessageBytes, closeTimeout, value, inboundQueue, closeSlowConsumers, permessageDeflate);
  }

  public WebSocketLimits withInboundQueue(int value) {
    return new WebSocketLimits(maxFrameBytes, maxMessageBytes, closeTimeout, pingInterval, value, closeSlowConsumers, permessageDeflate);
  }

  public WebSocketLimits withCloseSlowConsumers(boolean value) {
    return new WebSocketLimits(maxFrameBytes, maxMessageBytes, closeTimeout, pingInterval, inboundQueue, value, permessageDeflate);
  }

  public WebSocketLimits withPermessageDeflate(boolean value) {
    return new WebSocketLimits(maxFrameBytes, maxMessageBytes, closeTimeout, pingInterval, inboundQueue, closeSlowConsumers, value);
  }
}
