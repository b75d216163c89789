package io.asupersync.protocols.websocket;

/** A WebSocket failure a caller can act on: a refused handshake, or a session that is closed. */
public class WebSocketException extends Exception {
  private static final long serialVersionUID = 1L;

  public WebSocketException(String message) {
    super(message);
  }

  public WebSocketException(String message, Throwable cause) {
    super(message, cause);
  }
}
