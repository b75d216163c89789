package io.asupersync.protocols.http;

/**
 * A handler failure with the status to answer. Thrown by a handler (or a request body read that hit a
 * limit), it becomes the response: the status, and the message as a {@code text/plain} body. The message
 * is sent to the client, so it must not carry secrets.
 */
public final class HttpStatusException extends Exception {

  private static final long serialVersionUID = 1L;

  private final int status;

  /**
   * @param status a 4xx or 5xx status
   * @param message text sent to the client as the body
   */
  public HttpStatusException(int status, String message) {
    super(message);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status must be 4xx or 5xx, was " + status);
    }
    this.status = status;
  }

  public int status() {
    return status;
  }
}
