package io.asupersync.protocols.grpc;

import io.asupersync.protocols.http.HttpHeaders;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What a handler knows about the call it serves, and the metadata it sends back. Handed to every
 * handler beside its {@code Cx}; used by the handler's task only.
 */
public interface ServerCall {

  MethodDescriptor<?, ?> method();

  /**
   * The client's custom metadata: every request header except pseudo-headers and the protocol's own
   * ({@code content-type}, {@code te}, {@code grpc-timeout}, {@code grpc-encoding}, ...). Values of
   * {@code -bin} fields are as sent (base64).
   */
  HttpHeaders requestMetadata();

  /**
   * The call's deadline on the runtime clock: the client's {@code grpc-timeout} from the moment the
   * call arrived, capped by the server's limit; {@code null} for none. The handler's budget already
   * carries it.
   */
  @Nullable Instant deadline();

  /**
   * Adds a field to the response headers (initial metadata), sent with the first response message or
   * with the status, whichever comes first.
   *
   * @throws IllegalStateException once the headers were sent
   * @throws IllegalArgumentException for a name an application may not send (reserved {@code grpc-*},
   *     pseudo-headers, upper case, ...)
   */
  void addHeader(String name, String value);

  /**
   * Adds a field to the trailers sent with the status (also when the handler fails with a {@link
   * GrpcStatusException}, whose own trailers are added to these).
   *
   * @throws IllegalArgumentException for a name an application may not send
   */
  void addTrailer(String name, String value);
}
