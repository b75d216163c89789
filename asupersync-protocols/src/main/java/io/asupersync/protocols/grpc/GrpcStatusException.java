package io.asupersync.protocols.grpc;

import io.asupersync.protocols.http.HttpHeaders;
import java.util.Objects;

/**
 * A gRPC call ended with a status other than OK. Handlers throw it to choose the status (and trailers)
 * a call ends with; the client throws it when a call fails. It is a checked exception, so a task body
 * that lets it escape ends in {@code Outcome.Err}, which the server maps back to this status.
 */
public final class GrpcStatusException extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient Status status;
  private final transient HttpHeaders trailers;

  public GrpcStatusException(Status status) {
    this(status, HttpHeaders.empty());
  }

  public GrpcStatusException(StatusCode code, String message) {
    this(Status.of(code, message));
  }

  /**
   * @param status the status; must not be OK
   * @param trailers custom metadata to send (server) or that was received (client) with the status
   */
  public GrpcStatusException(Status status, HttpHeaders trailers) {
    super(status.toString());
    if (status.isOk()) {
      throw new IllegalArgumentException("a status exception needs a status other than OK");
    }
    this.status = status;
    this.trailers = Objects.requireNonNull(trailers, "trailers");
  }

  public Status status() {
    return status;
  }

  public StatusCode code() {
    return status.code();
  }

  /** Custom trailing metadata; empty when there is none. */
  public HttpHeaders trailers() {
    return trailers;
  }
}
