package io.asupersync.spring.boot.autoconfigure;

import static io.asupersync.spring.boot.autoconfigure.PropertyChecks.intBytes;
import static io.asupersync.spring.boot.autoconfigure.PropertyChecks.positive;

import io.asupersync.protocols.http.Http1Limits;
import io.asupersync.protocols.http.Http2Limits;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the Asupersync server (HTTP/1.1, HTTP/2, gRPC and WebSocket on one port), bound from
 * {@code asupersync.server}. Spring's own web server is configured separately with {@code server.*}.
 *
 * @param enabled Whether to start the Asupersync server.
 * @param cleartextPort Port of the cleartext listener (HTTP/1.1 and h2c). 0 picks a free port; -1 turns
 *     the cleartext listener off.
 * @param tlsPort Port of the TLS listener (ALPN h2 and http/1.1). 0 picks a free port. Unset, there is no
 *     TLS listener; when set, ssl.bundle is required.
 * @param ssl TLS settings of the TLS listener.
 * @param defaultTimeout Time budget of a request that carries no timeout of its own. Unset, the runtime's
 *     default request budget applies.
 * @param maxClientTimeout Upper bound on a timeout a client asks for (such as gRPC's grpc-timeout). Unset,
 *     a client's timeout is honoured as sent.
 * @param limits Protocol limits of the server.
 */
@ConfigurationProperties("asupersync.server")
public record AsupersyncServerProperties(
    @DefaultValue("false") boolean enabled,
    @DefaultValue("9080") int cleartextPort,
    @Nullable Integer tlsPort,
    @DefaultValue Ssl ssl,
    @Nullable Duration defaultTimeout,
    @Nullable Duration maxClientTimeout,
    @DefaultValue Limits limits) {

  public AsupersyncServerProperties {
    listenPort("asupersync.server.cleartext-port", cleartextPort, -1);
    if (tlsPort != null) {
      listenPort("asupersync.server.tls-port", tlsPort, 0);
      if (ssl.bundle() == null) {
        throw new InvalidAsupersyncPropertyException(
            "asupersync.server.ssl.bundle",
            null,
            "a TLS port (" + tlsPort + ") is set but no SSL bundle names the certificate to serve",
            "Define a bundle under spring.ssl.bundle.pem.<name> or spring.ssl.bundle.jks.<name> and set "
                + "asupersync.server.ssl.bundle to <name>, or remove asupersync.server.tls-port.");
      }
    }
    positive("asupersync.server.default-timeout", defaultTimeout);
    positive("asupersync.server.max-client-timeout", maxClientTimeout);
  }

  private static void listenPort(String property, int port, int lowest) {
    if (port < lowest || port > 65535) {
      throw new InvalidAsupersyncPropertyException(
          property,
          port,
          "must be a TCP port between " + lowest + " and 65535",
          lowest < 0 ? "Use 0 for a free port or -1 to turn the listener off." : "Use 0 for a free port.");
    }
  }

  /** How the TLS listener asks for client certificates. */
  public enum ClientAuth {
    /** No client certificate is requested. */
    NONE,
    /** A client certificate is requested; a client without one is still served. */
    WANT,
    /** A client certificate is required; a client without one is refused. */
    NEED
  }

  /**
   * TLS settings.
   *
   * @param bundle Name of the SSL bundle (spring.ssl.bundle.*) holding the server certificate and, for
   *     client authentication, the trusted client certificate authorities.
   * @param clientAuth Whether and how client certificates are requested (mTLS).
   */
  public record Ssl(@Nullable String bundle, @DefaultValue("none") ClientAuth clientAuth) {}

  /**
   * Protocol limits; each over-limit input is answered where the protocol has an answer and the
   * connection closed.
   *
   * @param http1 HTTP/1.1 limits.
   * @param http2 HTTP/2 and HPACK limits.
   */
  public record Limits(@DefaultValue Http1 http1, @DefaultValue Http2 http2) {}

  /**
   * HTTP/1.1 limits.
   *
   * @param maxInitialLineSize Maximum length of the request line (answered 414 beyond).
   * @param maxHeaderSize Maximum size of the header block (answered 431 beyond).
   * @param maxHeaders Maximum number of header fields (answered 431 beyond).
   * @param maxBodySize Maximum size of a request body (answered 413 beyond).
   * @param headerReadTimeout Maximum time from the first byte of a request to the end of its headers
   *     (answered 408 beyond).
   * @param idleTimeout Time after which a kept-alive connection with no request in flight is closed.
   * @param maxRequestsPerConnection Number of requests served on one kept-alive connection before the
   *     server closes it.
   * @param requireHost Whether a request without exactly one Host header is answered 400.
   */
  public record Http1(
      @DefaultValue("8KB") DataSize maxInitialLineSize,
      @DefaultValue("64KB") DataSize maxHeaderSize,
      @DefaultValue("128") int maxHeaders,
      @DefaultValue("16MB") DataSize maxBodySize,
      @DefaultValue("10s") Duration headerReadTimeout,
      @DefaultValue("60s") Duration idleTimeout,
      @DefaultValue("1000") int maxRequestsPerConnection,
      @DefaultValue("true") boolean requireHost) {

    private static final String PREFIX = "asupersync.server.limits.http1.";

    public Http1 {
      intBytes(PREFIX + "max-initial-line-size", maxInitialLineSize);
      intBytes(PREFIX + "max-header-size", maxHeaderSize);
      positive(PREFIX + "max-headers", maxHeaders);
      positive(PREFIX + "max-body-size", maxBodySize);
      positive(PREFIX + "header-read-timeout", headerReadTimeout);
      positive(PREFIX + "idle-timeout", idleTimeout);
      positive(PREFIX + "max-requests-per-connection", maxRequestsPerConnection);
    }

    /** These settings as the protocol layer's limits. */
    public Http1Limits toLimits() {
      return new Http1Limits(
          (int) maxInitialLineSize.toBytes(),
          (int) maxHeaderSize.toBytes(),
          maxHeaders,
          maxBodySize.toBytes(),
          headerReadTimeout,
          idleTimeout,
          maxRequestsPerConnection,
          requireHost);
    }
  }

  /**
   * HTTP/2 and HPACK limits.
   *
   * @param maxFrameSize Largest frame payload accepted (SETTINGS_MAX_FRAME_SIZE), from 16KB to 16MB - 1.
   * @param maxHeaderListSize Maximum decoded size of one header list (SETTINGS_MAX_HEADER_LIST_SIZE).
   * @param maxConcurrentStreams Maximum number of streams open at once per connection
   *     (SETTINGS_MAX_CONCURRENT_STREAMS).
   * @param initialWindowSize Flow-control window of each stream (SETTINGS_INITIAL_WINDOW_SIZE).
   * @param continuationTimeout Maximum time for a header block split over CONTINUATION frames to finish.
   * @param maxHeaderFragmentSize Maximum encoded size of one header block across HEADERS and CONTINUATION
   *     frames. Unset, four times max-header-list-size, at most 256KB.
   * @param maxContinuationFrames Maximum number of CONTINUATION frames in one header block.
   * @param maxResetsPerWindow Number of RST_STREAM frames a client may send per reset window before the
   *     connection is closed with ENHANCE_YOUR_CALM (rapid reset).
   * @param maxEncoderResetsPerWindow Number of RST_STREAM frames a client may make the server send per
   *     reset window before the connection is closed (MadeYouReset).
   * @param resetWindow Window over which resets are counted.
   * @param maxPendingControlFrames Number of queued control frames (SETTINGS and PING acknowledgements,
   *     RST_STREAM) after which the connection is closed as a flood.
   * @param maxHpackTableSize Largest HPACK dynamic table kept for the client's encoder.
   * @param maxHpackStringSize Largest decoded HPACK string.
   */
  public record Http2(
      @DefaultValue("16KB") DataSize maxFrameSize,
      @DefaultValue("64KB") DataSize maxHeaderListSize,
      @DefaultValue("256") int maxConcurrentStreams,
      @DefaultValue("1MB") DataSize initialWindowSize,
      @DefaultValue("5s") Duration continuationTimeout,
      @Nullable DataSize maxHeaderFragmentSize,
      @DefaultValue("1024") int maxContinuationFrames,
      @DefaultValue("100") int maxResetsPerWindow,
      @DefaultValue("100") int maxEncoderResetsPerWindow,
      @DefaultValue("30s") Duration resetWindow,
      @DefaultValue("10000") int maxPendingControlFrames,
      @DefaultValue("1MB") DataSize maxHpackTableSize,
      @DefaultValue("256KB") DataSize maxHpackStringSize) {

    private static final String PREFIX = "asupersync.server.limits.http2.";

    public Http2 {
      PropertyChecks.inRange(
          PREFIX + "max-frame-size", maxFrameSize, DataSize.ofBytes(16_384), DataSize.ofBytes(16_777_215));
      intBytes(PREFIX + "max-header-list-size", maxHeaderListSize);
      positive(PREFIX + "max-concurrent-streams", maxConcurrentStreams);
      intBytes(PREFIX + "initial-window-size", initialWindowSize);
      positive(PREFIX + "continuation-timeout", continuationTimeout);
      if (maxHeaderFragmentSize != null) {
        intBytes(PREFIX + "max-header-fragment-size", maxHeaderFragmentSize);
      }
      positive(PREFIX + "max-continuation-frames", maxContinuationFrames);
      positive(PREFIX + "max-resets-per-window", maxResetsPerWindow);
      positive(PREFIX + "max-encoder-resets-per-window", maxEncoderResetsPerWindow);
      positive(PREFIX + "reset-window", resetWindow);
      positive(PREFIX + "max-pending-control-frames", maxPendingControlFrames);
      intBytes(PREFIX + "max-hpack-table-size", maxHpackTableSize);
      intBytes(PREFIX + "max-hpack-string-size", maxHpackStringSize);
    }

    /** These settings as the protocol layer's limits. */
    public Http2Limits toLimits() {
      int headerList = (int) maxHeaderListSize.toBytes();
      int fragment =
          maxHeaderFragmentSize != null
              ? (int) maxHeaderFragmentSize.toBytes()
              : (int) Math.min(4L * headerList, 256 * 1024);
      return new Http2Limits(
          (int) maxFrameSize.toBytes(),
          headerList,
          maxConcurrentStreams,
          (int) initialWindowSize.toBytes(),
          continuationTimeout,
          fragment,
          maxContinuationFrames,
          maxResetsPerWindow,
          maxEncoderResetsPerWindow,
          resetWindow,
          maxPendingControlFrames,
          (int) maxHpackTableSize.toBytes(),
          (int) maxHpackStringSize.toBytes());
    }
  }
}
