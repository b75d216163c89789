package io.asupersync.protocols.websocket.internal;

import io.asupersync.protocols.websocket.CloseStatus;

/**
 * The peer broke the protocol or a limit; {@link #closeCode()} is what the close frame we answer with
 * carries (1002, 1007, 1009). The message becomes the close reason, so it names the rule, never data.
 */
public final class WebSocketProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int closeCode;

  public WebSocketProtocolException(int closeCode, String message) {
    super(message, null, false, false);
    this.closeCode = closeCode;
  }

  public int closeCode() {
    return closeCode;
  }

  public CloseStatus status() {
    return new CloseStatus(closeCode, getMessage());
  }

  static WebSocketProtocolException protocol(String message) {
    return new WebSocketProtocolException(CloseStatus.PROTOCOL_ERROR, message);
  }

  static WebSocketProtocolException tooBig(String message) {
    return new WebSocketProtocolException(CloseStatus.MESSAGE_TOO_BIG, message);
  }

  static WebSocketProtocolException invalidPayload(String message) {
    return new WebSocketProtocolException(CloseStatus.INVALID_PAYLOAD, message);
  }
}
