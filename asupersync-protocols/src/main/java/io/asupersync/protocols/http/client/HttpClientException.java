package io.asupersync.protocols.http.client;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A client call that failed for a reason other than cancellation (cancellation, including the caller's
 * deadline, is {@link io.asupersync.CancelledException}). The message never carries a header value.
 */
public final class HttpClientException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the call failed. */
  public enum Reason {
    /** The TCP connection could not be opened. */
    CONNECT_FAILED,
    /** The TLS handshake failed: untrusted certificate, hostname mismatch, no common protocol or cipher. */
    TLS_HANDSHAKE_FAILED,
    /** The HTTP/1.1 status line exceeded {@code Http1Limits.maxInitialLineBytes}. */
    STATUS_LINE_TOO_LONG,
    /** The header block exceeded {@code maxHeaderBytes} (HTTP/1.1) or {@code maxHeaderListBytes} (HTTP/2). */
    HEADERS_TOO_LARGE,
    /** More header fields than {@code Http1Limits.maxHeaders}. */
    TOO_MANY_HEADERS,
    /** The body exceeded {@code Http1Limits.maxBodyBytes}. */
    BODY_TOO_LARGE,
    /** The response could not be parsed or broke the protocol. */
    MALFORMED_RESPONSE,
    /** The server reset the HTTP/2 stream or the connection went away (GOAWAY) before the response ended. */
    STREAM_RESET,
    /** The connection closed before the response ended. */
    CONNECTION_CLOSED,
    /** The client was closed. */
    CLIENT_CLOSED
  }

  private final Reason reason;

  public HttpClientException(Reason reason, String message) {
    this(reason, message, null);
  }

  public HttpClientException(Reason reason, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
