package io.asupersync.protocols.client;

import io.asupersync.CancelReason;
import io.asupersync.protocols.grpc.Status;
import java.util.Objects;

/** How a client call ended, as {@link ClientCallObserver.Call#end} is told. */
public sealed interface CallOutcome {

  /** An HTTP response arrived with this status, whatever it is (a 404 or a 503 included). */
  record HttpStatus(int status) implements CallOutcome {}

  /**
   * A gRPC call ended with this status: the server's, or one the client detected ({@code UNAVAILABLE}
   * for a lost connection, {@code RESOURCE_EXHAUSTED} for a message over a limit, {@code CANCELLED}
   * for a call closed before its end).
   */
  record GrpcStatus(Status status) implements CallOutcome {
    public GrpcStatus {
      Objects.requireNonNull(status, "status");
    }
  }

  /**
   * The call ended without a response or status: an HTTP call that could not connect, whose TLS
   * handshake or response failed ({@code HttpClientException}); or a call the client refused to send
   * ({@link IllegalArgumentException} for a header it may not carry).
   */
  record Failed(Exception error) implements CallOutcome {
    public Failed {
      Objects.requireNonNull(error, "error");
    }
  }

  /** The caller gave up first: cancelled, or its Cx deadline passed (kind {@code DEADLINE}). */
  record Cancelled(CancelReason reason) implements CallOutcome {
    public Cancelled {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
