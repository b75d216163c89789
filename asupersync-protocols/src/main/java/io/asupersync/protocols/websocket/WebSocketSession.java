package io.asupersync.protocols.websocket;

import io.asupersync.CancelledException;
import io.asupersync.Cx;
import io.asupersync.protocols.http.HttpHeaders;
import java.util.Optional;

/**
 * One open WebSocket connection, as seen by a server handler or a client. Thread-safe: any task may send;
 * one task at a time may receive.
 *
 * <p>Receiving goes through a bounded core channel ({@link io.asupersync.channel.MpscChannel}): the
 * connection queues complete messages, at most {@link WebSocketLimits#inboundQueue()}, and a full queue
 * stops reading from the socket (or closes with 1013 when so configured). Sending blocks, through the
 * Cx, while the connection's outbound buffer is over its high-water mark.
 *
 * <p>Pings from the peer are answered with pongs; the endpoint sends its own pings on {@link
 * WebSocketLimits#pingInterval()}. Neither reaches the application.
 */
public interface WebSocketSession {

  /**
   * The next message, waiting until one arrives.
   *
   * @throws WebSocketClosedException once the peer's close frame arrived (or the connection ended) and
   *     every message before it was taken
   * @throws CancelledException if the calling task is cancelled first; no message is lost
   * @throws IllegalStateException if another task is already waiting in {@code receive}
   */
  WebSocketMessage receive(Cx cx) throws WebSocketClosedException;

  /**
   * Sends one message, waiting first while the outbound buffer is full.
   *
   * @throws WebSocketClosedException if this side already sent its close frame or the connection ended
   * @throws CancelledException if the calling task is cancelled while waiting; nothing was sent
   */
  void send(Cx cx, WebSocketMessage message) throws WebSocketClosedException;

  /** Sends a text message; see {@link #send(Cx, WebSocketMessage)}. */
  default void send(Cx cx, String text) throws WebSocketClosedException {
    send(cx, WebSocketMessage.text(text));
  }

  /** Sends a binary message; the array must not change afterwards. See {@link #send(Cx, WebSocketMessage)}. */
  default void send(Cx cx, byte[] data) throws WebSocketClosedException {
    send(cx, WebSocketMessage.binary(data));
  }

  /**
   * Starts the close handshake (unless it already started) and waits until the connection is closed:
   * the peer answered, or the close timeout passed. Sends exactly one close frame per connection
   * whoever calls it and however often.
   *
   * @param code a code {@link CloseStatus#isSendable sendable} in a close frame
   * @param reason at most 123 UTF-8 bytes are sent
   * @throws IllegalArgumentException if the code may not be sent
   * @throws CancelledException if the calling task is cancelled while waiting (the handshake goes on)
   */
  void close(Cx cx, int code, String reason);

  /** {@code close(cx, CloseStatus.NORMAL, "")}. */
  default void close(Cx cx) {
    close(cx, CloseStatus.NORMAL, "");
  }

  /** Whether neither side has sent a close frame and the connection is up. */
  boolean isOpen();

  /** How the connection closed, once it did; empty while it is open or closing. */
  Optional<CloseStatus> closeStatus();

  /** The request target of the upgrade (path and query) on the server; the URI on the client. */
  String target();

  /** The upgrade request's headers on the server; the 101 response's headers on the client. */
  HttpHeaders handshakeHeaders();

  /** The negotiated subprotocol ({@code Sec-WebSocket-Protocol}), empty when none. */
  Optional<String> subprotocol();

  /** Whether permessage-deflate was negotiated. */
  boolean compressed();
}
