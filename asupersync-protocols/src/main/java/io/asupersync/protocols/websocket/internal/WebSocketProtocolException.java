package io.asupersync.protocols.websocket.internal;

import io.asupersync.protocols.websocket.CloseStatus;
import io.asupersync.protocols.websocket.WebSocketRejectionReason;

/**
 * The peer broke the protocol or a limit; {@link #closeCode()} is what the close frame we answer with
 * carries (1002, 1007, 1009), {@link #reason()} the counter it goes to. The message becomes the close
 * reason, so it names the rule, never data.
 */
public final class WebSocketProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int closeCode;
  private final WebSocketRejectionReason reason;

  public WebSocketProtocolException(int closeCode, WebSocketRejectionReason reason, String message) {
    super(message, null, false, false);
    this.closeCode = closeCode;
    this.reason = reason;
  }

  public int closeCode() {
    return closeCode;
  }

  public WebSocketRejectionReason reason() {
    return reason;
  }

  public CloseStatus status() {
    return new CloseStatus(closeCode, getMessage());
  }

  static WebSocketProtocolException protocol(WebSocketRejectionReason reason, String message) {
    return new WebSocketProtocolException(CloseStatus.PROTOCOL_ERROR, reason, message);
  }

  static WebSocketProtocolException protocol(String message) {
    return protocol(WebSocketRejectionReason.PROTOCOL_ERROR, message);
  }

  static WebSocketProtocolException tooBig(WebSocketRejectionReason reason, String message) {
    return new WebSocketProtocolException(CloseStatus.MESSAGE_TOO_BIG, reason, message);
  }

  static WebSocketProtocolException invalidPayload(WebSocketRejectionReason reason, String message) {
    return new WebSocketProtocolException(CloseStatus.INVALID_PAYLOAD, reason, message);
  }
}
