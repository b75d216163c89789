package io.asupersync.protocols.nats;

/**
 * The JetStream API answered a request with an error document. {@link #code()} is the HTTP-like
 * status (404 not found, 400 bad request, 503 unavailable), {@link #errorCode()} JetStream's own
 * finer code (10059 stream not found, 10014 consumer not found, 10058 stream name in use).
 */
public final class JetStreamApiException extends NatsException {
  private static final long serialVersionUID = 1L;

  /** The finer error code of a missing stream. */
  public static final int STREAM_NOT_FOUND = 10059;

  /** The finer error code of a missing consumer. */
  public static final int CONSUMER_NOT_FOUND = 10014;

  private final int code;
  private final int errorCode;

  JetStreamApiException(int code, int errorCode, String description) {
    super(Reason.JETSTREAM, code + "/" + errorCode + " " + description);
    this.code = code;
    this.errorCode = errorCode;
  }

  public int code() {
    return code;
  }

  public int errorCode() {
    return errorCode;
  }
}
