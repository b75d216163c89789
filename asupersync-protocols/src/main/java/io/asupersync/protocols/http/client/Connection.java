package io.asupersync.protocols.http.client;

import io.asupersync.protocols.ApplicationProtocol;
import io.asupersync.protocols.tls.TlsInfo;
import org.jspecify.annotations.Nullable;

/** A pooled connection to one origin. Thread-safe: reserved from caller tasks, driven by its event loop. */
sealed interface Connection permits H1Connection, H2Connection {

  ApplicationProtocol protocol();

  /** Claims room for one exchange (HTTP/1.1: the connection is idle; HTTP/2: a stream slot is free). */
  boolean tryReserve();

  /** Sends {@code request} on a reservation taken by {@link #tryReserve()}; the response feeds {@code exchange}. */
  void start(ClientRequest request, Origin origin, Exchange exchange);

  /** No exchange in flight. */
  boolean isIdle();

  /** Closes the connection if no exchange holds it, atomically with respect to {@link #tryReserve()}. */
  boolean retireIfIdle();

  void close();

  /** The TLS handshake's result, or null for cleartext. */
  @Nullable TlsInfo tls();
}
