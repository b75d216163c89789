package io.asupersync.protocols.client;

import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * A call about to be sent, as a {@link ClientCallObserver} sees it: what it is, and a way to add
 * request headers (HTTP fields, gRPC metadata). Not thread-safe: used inside {@link
 * ClientCallObserver#start} only.
 */
public final class OutgoingCall {

  /** Which client makes the call. */
  public enum Protocol {
    HTTP,
    GRPC
  }

  private final Protocol protocol;
  private final String operation;
  private final String scheme;
  private final String authority;
  private final String path;
  private final BiConsumer<String, String> headers;

  /**
   * @param operation the HTTP method, or the gRPC method's full name ({@code package.Service/Method})
   * @param authority host and port
   * @param path the raw request path without the query; for gRPC {@code /package.Service/Method}
   * @param headers adds one request header, refusing (with {@link IllegalArgumentException}) names the
   *     client sets itself
   */
  public OutgoingCall(
      Protocol protocol, String operation, String scheme, String authority, String path, BiConsumer<String, String> headers) {
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    this.operation = Objects.requireNonNull(operation, "operation");
    this.scheme = Objects.requireNonNull(scheme, "scheme");
    this.authority = Objects.requireNonNull(authority, "authority");
    this.path = Objects.requireNonNull(path, "path");
    this.headers = Objects.requireNonNull(headers, "headers");
  }

  public Protocol protocol() {
    return protocol;
  }

  /** The HTTP method, or the gRPC method's full name ({@code package.Service/Method}). */
  public String operation() {
    return operation;
  }

  /** {@code http} or {@code https}. */
  public String scheme() {
    return scheme;
  }

  /** Host and port the call goes to. */
  public String authority() {
    return authority;
  }

  /**
   * The raw path, without the query. For HTTP it may carry ids: never use it as a low-cardinality
   * metric tag.
   */
  public String path() {
    return path;
  }

  /**
   * Adds a request header (gRPC: metadata, lower-case ASCII name).
   *
   * @throws IllegalArgumentException for a name the client sets itself or a malformed name or value
   */
  public OutgoingCall header(String name, String value) {
    headers.accept(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return this;
  }

  @Override
  public String toString() {
    return protocol + " " + operation + " " + scheme + "://" + authority + path;
  }
}
