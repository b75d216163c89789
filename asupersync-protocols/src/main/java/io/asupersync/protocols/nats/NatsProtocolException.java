package io.asupersync.protocols.nats;

import java.util.Objects;

/**
 * The server sent something this client must not accept: a malformed operation, or a length over a
 * {@link NatsLimits limit}. The decoder never resynchronises after one: the connection is closed,
 * every operation in flight on it fails with {@link NatsException.Reason#OUTCOME_UNKNOWN} (this
 * exception as the cause), and the client reconnects.
 */
public final class NatsProtocolException extends NatsException {
  private static final long serialVersionUID = 1L;

  /** What was wrong with the server's bytes. */
  public enum Violation {
    /** A control line grew past {@link NatsLimits#maxControlLine()} without a line end. */
    CONTROL_LINE_TOO_LONG,
    /** A message announced more bytes than the payload limit in force. */
    PAYLOAD_TOO_LARGE,
    /** A message announced a header section over {@link NatsLimits#maxHeaderBytes()}. */
    HEADERS_TOO_LARGE,
    /** A length or id was not a plain decimal number in range, or header length exceeded the total. */
    BAD_LENGTH,
    /** The bytes after an announced payload were not CRLF: the length does not match the data. */
    MISSING_TERMINATOR,
    /** A control line had the wrong number of fields or an empty or invalid one. */
    MALFORMED_CONTROL_LINE,
    /** The operation name is none the server may send. */
    UNKNOWN_OPERATION,
    /** A header section did not start with {@code NATS/1.0} or had a malformed line. */
    MALFORMED_HEADERS,
    /** The INFO document was not a JSON object of the expected shape. */
    MALFORMED_INFO,
    /** An operation arrived where the protocol does not allow it (during the handshake). */
    UNEXPECTED_OPERATION
  }

  private final Violation violation;

  public NatsProtocolException(Violation violation, String message) {
    super(Reason.PROTOCOL, violation + ": " + message);
    this.violation = Objects.requireNonNull(violation, "violation");
  }

  public Violation violation() {
    return violation;
  }

  /** Whether a configured limit (rather than the format) was broken. */
  public boolean isLimit() {
    return violation == Violation.CONTROL_LINE_TOO_LONG
        || violation == Violation.PAYLOAD_TOO_LARGE
        || violation == Violation.HEADERS_TOO_LARGE;
  }
}
