package io.asupersync.protocols.websocket;

/**
 * The session is closed (or closing) in the direction the caller used: a receive after the peer's close
 * frame and every queued message were taken, a send after this side's close frame went out, or either
 * after the connection ended. Carries the status the close handshake settled on.
 */
public final class WebSocketClosedException extends WebSocketException {
  private static final long serialVersionUID = 1L;

  private final transient CloseStatus status;

  public WebSocketClosedException(CloseStatus status) {
    super("websocket closed: " + status.code() + (status.reason().isEmpty() ? "" : " " + status.reason()));
    this.status = status;
  }

  public CloseStatus status() {
    return status;
  }
}
