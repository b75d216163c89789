package io.asupersync.spring.boot.webmvc;

import io.asupersync.CancelReason;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * The request region of a handler that takes a {@code Cx} was cancelled (its budget ran out, the
 * application is shutting down, the handler cancelled its own scope) before the handler returned.
 * Answered 503 unless an exception handler maps it otherwise; {@link #reason()} says why.
 */
public final class CancelledRequestException extends ResponseStatusException {

  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial")
  private final CancelReason reason;

  public CancelledRequestException(CancelReason reason) {
    super(HttpStatus.SERVICE_UNAVAILABLE, "Request cancelled: " + reason.kind());
    this.reason = reason;
  }

  public CancelReason reason() {
    return reason;
  }
}
