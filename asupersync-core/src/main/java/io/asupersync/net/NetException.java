package io.asupersync.net;

import java.io.IOException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A socket operation failed for a reason the caller can act on; {@link #reason()} says which, the
 * cause (when there is one) carries the operating system's wording. Cancellation is never a {@code
 * NetException}: a cancelled operation throws {@link io.asupersync.CancelledException}.
 */
public final class NetException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Why a socket operation failed. */
  public enum Reason {
    /** Nobody listens at the address: a TCP reset on connect, an ICMP port unreachable, a stale socket file. */
    CONNECTION_REFUSED,
    /** The peer reset the connection (an abortive close or a crash); data in flight is lost. */
    CONNECTION_RESET,
    /** Writing to a connection the peer already closed. */
    BROKEN_PIPE,
    /** The stream ended before the expected number of bytes arrived. */
    UNEXPECTED_EOF,
    /** The local port or socket path is taken, or something that is not a socket occupies the path. */
    ADDRESS_IN_USE,
    /** No Unix-domain socket file exists at the path. */
    NOT_FOUND,
    /** The operating system refused access (socket file permissions, a privileged port). */
    PERMISSION_DENIED,
    /** The host or network cannot be reached, or the address did not resolve. */
    UNREACHABLE,
    /** The socket was closed locally, by this task or another one. */
    CLOSED,
    /** Any other I/O failure; the cause has the details. */
    OTHER
  }

  private final Reason reason;

  public NetException(Reason reason, String message, @Nullable Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public NetException(Reason reason, String message) {
    this(reason, message, null);
  }

  public Reason reason() {
    return reason;
  }
}
