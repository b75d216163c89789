package io.asupersync.protocols.http;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits for HTTP/1.1, on the server (what a client may send) and the client (what a server may answer).
 * A request over a limit is answered (414 request line, 431 headers, 413 body, 408 slow headers) and the
 * connection closed.
 *
 * @param maxInitialLineBytes request line (or status line) length, default 8192
 * @param maxHeaderBytes total header block size, default 64 KiB
 * @param maxHeaders number of header fields, default 128
 * @param maxBodyBytes body size, default 16 MiB
 * @param headerReadTimeout time from the first byte of a request to the end of its headers (slowloris),
 *     default 10 s
 * @param idleTimeout a kept-alive connection with no request in flight is closed after this, default 60 s
 * @param maxRequestsPerConnection keep-alive requests before the server closes, default 1000
 * @param requireHost whether a request without exactly one Host field is answered 400, default true
 */
public record Http1Limits(
    int maxInitialLineBytes,
    int maxHeaderBytes,
    int maxHeaders,
    long maxBodyBytes,
    Duration headerReadTimeout,
    Duration idleTimeout,
    int maxRequestsPerConnection,
    boolean requireHost) {

  public Http1Limits {
    positive("maxInitialLineBytes", maxInitialLineBytes);
    positive("maxHeaderBytes", maxHeaderBytes);
    positive("maxHeaders", maxHeaders);
    positive("maxBodyBytes", maxBodyBytes);
    positive("headerReadTimeout", headerReadTimeout);
    positive("idleTimeout", idleTimeout);
    positive("maxRequestsPerConnection", maxRequestsPerConnection);
  }

  /** The defaults from the design: 8192, 64 KiB, 128, 16 MiB, 10 s, 60 s, 1000, Host required. */
  public static Http1Limits defaults() {
    return new Http1Limits(
        8192, 64 * 1024, 128, 16L * 1024 * 1024, Duration.ofSeconds(10), Duration.ofSeconds(60), 1000, true);
  }

  static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }

  static void positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }

  // Copies with one limit changed; each validates like the constructor.
  public Http1Limits withMaxInitialLineBytes(int value) {
    return new Http1Limits(value, maxHeaderBytes, maxHeaders, maxBodyBytes, headerReadTimeout, idleTimeout, maxRequestsPerConnection, requireHost);
  }

  public Http1Limits withMaxHeaderBytes(int value) {
    return new Http1Limits(maxInitialLineBytes, value, maxHeaders, maxBodyBytes, headerReadTimeout, idleTimeout, maxRequestsPerConnection, requireHost);
  }

  public Http1Limits withMaxHeaders(int value) {
    return new Http1Limits(maxInitialLineBytes, maxHeaderBytes, value, maxBodyBytes, headerReadTimeout, idleTimeout, maxRequestsPerConnection, requireHost);
  }

  public Http1Limits withMaxBodyBytes(long value) {
    return new Http1Limits(maxInitialLineBytes, maxHeaderBytes, maxHeaders, value, headerReadTimeout, idleTimeout, maxRequestsPerConnection, requireHost);
  }

  public Http1Limits withHeaderReadTimeout(Duration value) {
    return new Http1Limits(maxInitialLineBytes, maxHeaderBytes, maxHeaders, maxBodyBytes, value, idleTimeout, maxRequestsPerConnection, requireHost);
  }

  public Http1Limits withIdleTimeout(Duration value) {
    return new Http1Limits(maxInitialLineBytes, maxHeaderBytes, maxHeaders, maxBodyBytes, headerReadTimeout, value, maxRequestsPerConnection, requireHost);
  }

  public Http1Limits withMaxRequestsPerConnection(int value) {
    return new Http1Limits(maxInitialLineBytes, maxHeaderBytes, maxHeaders, maxBodyBytes, headerReadTimeout, idleTimeout, value, requireHost);
  }

  public Http1Limits withRequireHost(boolean value) {
    return new Http1Limits(maxInitialLineBytes, maxHeaderBytes, maxHeaders, maxBodyBytes, headerReadTimeout, idleTimeout, maxRequestsPerConnection, value);
  }
}
