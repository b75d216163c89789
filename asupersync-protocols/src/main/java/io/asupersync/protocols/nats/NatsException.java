package io.asupersync.protocols.nats;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A NATS operation failed for a reason the caller can act on; {@link #reason()} says which and
 * whether anything reached the server. Cancellation is never a {@code NatsException}: a cancelled
 * operation throws {@link io.asupersync.CancelledException}, and "no responders" is its own type
 * ({@link NatsNoRespondersException}), not a cancellation and not a timeout.
 */
public sealed class NatsException extends Exception
    permits NatsProtocolException, NatsNoRespondersException, JetStreamApiException {
  private static final long serialVersionUID = 1L;

  /** Why an operation failed. */
  public enum Reason {
    /** No connection came up within the client's wait; nothing was sent. */
    NOT_CONNECTED,
    /** The client is closed; nothing was sent. */
    CLOSED,
    /** The connection could not be opened or the handshake failed (refused, timed out, broken INFO). */
    CONNECT_FAILED,
    /** The server refused the credentials. */
    AUTHORIZATION,
    /** The message is larger than the payload limit in force; nothing was sent. */
    PAYLOAD_TOO_LARGE,
    /** The server reported an error ({@code -ERR}, or a reply it should not have sent). */
    SERVER_ERROR,
    /** A request was sent but no reply arrived in time; the request may have been processed. */
    TIMEOUT,
    /** The server said nobody is subscribed to the request's subject; see {@link NatsNoRespondersException}. */
    NO_RESPONDERS,
    /**
     * The operation was handed to the connection, which was then lost (or closed because the server
     * broke the protocol) before its result arrived: it may or may not have taken effect.
     */
    OUTCOME_UNKNOWN,
    /** The server broke the protocol or a limit; see {@link NatsProtocolException}. */
    PROTOCOL,
    /** The JetStream API answered with an error; see {@link JetStreamApiException}. */
    JETSTREAM
  }

  private final Reason reason;

  NatsException(Reason reason, String message, @Nullable Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  NatsException(Reason reason, String message) {
    this(reason, message, null);
  }

  public Reason reason() {
    return reason;
  }
}
