package io.asupersync.protocols.websocket;

/**
 * Why the server refused a WebSocket upgrade or failed a connection. Each reason has a counter ({@code
 * AsupersyncServer.websocketRejections()}); every occurrence is also traced as {@code LIMIT_EXCEEDED} or
 * {@code PROTOCOL_ERROR} with the close code (the HTTP status for a refused upgrade).
 */
public enum WebSocketRejectionReason {
  /** The opening handshake was refused: 400, 405 or 426. */
  HANDSHAKE_REFUSED,
  /** A client frame without a mask (or, to a client, a masked server frame): close 1002. */
  UNMASKED_FRAME,
  /** A fragmented control frame or a control payload over 125 bytes: close 1002. */
  BAD_CONTROL_FRAME,
  /** Any other framing violation (reserved bits or opcodes, a bad continuation, a bad close frame): close 1002. */
  PROTOCOL_ERROR,
  /** A frame over {@link WebSocketLimits#maxFrameBytes}: close 1009. */
  FRAME_TOO_LARGE,
  /** A message over {@link WebSocketLimits#maxMessageBytes}: close 1009. */
  MESSAGE_TOO_LARGE,
  /** A message in more fragments than {@link WebSocketLimits#maxMessageBytes} (empty ones add no bytes): close 1009. */
  TOO_MANY_FRAGMENTS,
  /** A compressed message inflating past {@link WebSocketLimits#maxMessageBytes}: close 1009. */
  INFLATE_LIMIT,
  /** Compressed data that does not inflate: close 1007. */
  BAD_COMPRESSED_DATA,
  /** Text (a message or a close reason) that is not valid UTF-8: close 1007. */
  INVALID_UTF8,
  /** The handler fell behind with {@link WebSocketLimits#closeSlowConsumers} on: close 1013. */
  SLOW_CONSUMER,
  /** No pong (or anything else) from the peer within a ping interval: close 1001. */
  KEEPALIVE_TIMEOUT
}
