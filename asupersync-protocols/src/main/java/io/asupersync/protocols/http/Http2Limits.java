package io.asupersync.protocols.http;

import static io.asupersync.protocols.http.Http1Limits.positive;

import java.time.Duration;

/**
 * Limits for HTTP/2 and HPACK, advertised in SETTINGS where the protocol has a setting and enforced
 * locally either way. A peer over a connection-level limit gets GOAWAY (ENHANCE_YOUR_CALM for floods,
 * PROTOCOL_ERROR or COMPRESSION_ERROR for malformed input); over a stream-level limit, RST_STREAM.
 *
 * @param maxFrameSize SETTINGS_MAX_FRAME_SIZE, default 16384
 * @param maxHeaderListBytes SETTINGS_MAX_HEADER_LIST_SIZE, default 64 KiB
 * @param maxConcurrentStreams SETTINGS_MAX_CONCURRENT_STREAMS, default 256
 * @param initialWindowBytes SETTINGS_INITIAL_WINDOW_SIZE per stream, default 1 MiB
 * @param continuationTimeout a header block split over CONTINUATION frames must finish within this,
 *     default 5 s
 * @param maxHeaderFragmentBytes bytes of one header block across HEADERS and CONTINUATION, default
 *     min(4 × maxHeaderListBytes, 256 KiB)
 * @param maxContinuationFrames CONTINUATION frames in one header block, default 1024
 * @param maxResetsPerWindow RST_STREAM frames a peer may send per {@code resetWindow} (rapid reset),
 *     default 100
 * @param maxEncoderResetsPerWindow RST_STREAM frames the peer may make us send per {@code resetWindow}
 *     (MadeYouReset), default 100
 * @param resetWindow window for both reset counts, default 30 s
 * @param maxPendingControlFrames queued control frames (SETTINGS and PING acks, RST_STREAM) before the
 *     connection is closed as a flood, default 10,000
 * @param maxHpackTableBytes largest HPACK dynamic table we keep for the peer's encoder, default 1 MiB
 * @param maxHpackStringBytes largest decoded HPACK string (a header name or value), default 256 KiB: a
 *     longer one gets 431 on its stream, the connection goes on (the block was decoded in full, so the
 *     HPACK table stays consistent); Netty's decoder also bounds every string by {@code
 *     maxHeaderListBytes}, so the effective cap is the smaller of the two
 * @param maxBodyBytes request body size on one stream, default 16 MiB (413 when declared larger, the
 *     body read fails with 413 when it grows larger)
 */
public record Http2Limits(
    int maxFrameSize,
    int maxHeaderListBytes,
    int maxConcurrentStreams,
    int initialWindowBytes,
    Duration continuationTimeout,
    int maxHeaderFragmentBytes,
    int maxContinuationFrames,
    int maxResetsPerWindow,
    int maxEncoderResetsPerWindow,
    Duration resetWindow,
    int maxPendingControlFrames,
    int maxHpackTableBytes,
    int maxHpackStringBytes,
    long maxBodyBytes) {

  private static final long DEFAULT_MAX_BODY = 16L * 1024 * 1024;

  public Http2Limits {
    if (maxFrameSize < 16384 || maxFrameSize > 16_777_215) {
      throw new IllegalArgumentException("maxFrameSize must be in [16384, 16777215], was " + maxFrameSize);
    }
    positive("maxHeaderListBytes", maxHeaderListBytes);
    positive("maxConcurrentStreams", maxConcurrentStreams);
    positive("initialWindowBytes", initialWindowBytes);
    positive("continuationTimeout", continuationTimeout);
    positive("maxHeaderFragmentBytes", maxHeaderFragmentBytes);
    positive("maxContinuationFrames", maxContinuationFrames);
    positive("maxResetsPerWindow", maxResetsPerWindow);
    positive("maxEncoderResetsPerWindow", maxEncoderResetsPerWindow);
    positive("resetWindow", resetWindow);
    positive("maxPendingControlFrames", maxPendingControlFrames);
    positive("maxHpackTableBytes", maxHpackTableBytes);
    positive("maxHpackStringBytes", maxHpackStringBytes);
    positive("maxBodyBytes", maxBodyBytes);
  }

  /** The limits without a body limit of their own: the body limit is the default, 16 MiB. */
  public Http2Limits(
      int maxFrameSize,
      int maxHeaderListBytes,
      int maxConcurrentStreams,
      int initialWindowBytes,
      Duration continuationTimeout,
      int maxHeaderFragmentBytes,
      int maxContinuationFrames,
      int maxResetsPerWindow,
      int maxEncoderResetsPerWindow,
      Duration resetWindow,
      int maxPendingControlFrames,
      int maxHpackTableBytes,
      int maxHpackStringBytes) {
    this(
        maxFrameSize,
        maxHeaderListBytes,
        maxConcurrentStreams,
        initialWindowBytes,
        continuationTimeout,
        maxHeaderFragmentBytes,
        maxContinuationFrames,
        maxResetsPerWindow,
        maxEncoderResetsPerWindow,
        resetWindow,
        maxPendingControlFrames,
        maxHpackTableBytes,
        maxHpackStringBytes,
        DEFAULT_MAX_BODY);
  }

  /** The defaults from the design. */
  public static Http2Limits defaults() {
    int headerList = 64 * 1024;
    return new Http2Limits(
        16384,
        headerList,
        256,
        1024 * 1024,
        Duration.ofSeconds(5),
        Math.min(4 * headerList, 256 * 1024),
        1024,
        100,
        100,
        Duration.ofSeconds(30),
        10_000,
        1024 * 1024,
        256 * 1024,
        DEFAULT_MAX_BODY);
  }


  // Copies with one limit changed; each validates like the constructor.
  public Http2Limits withMaxFrameSize(int value) {
    return new Http2Limits(value, maxHeaderListBytes, maxConcurrentStreams, initialWindowBytes, continuationTimeout, maxHeaderFragmentBytes, maxContinuationFrames, maxResetsPerWindow, maxEncoderResetsPerWindow, resetWindow, maxPendingControlFrames, maxHpackTableBytes, maxHpackStringBytes, maxBodyBytes);
  }

  public Http2Limits withMaxHeaderListBytes(int value) {
    return new Http2Limits(maxFrameSize, value, maxConcurrentStreams, initialWindowBytes, continuationTimeout, maxHeaderFragmentBytes, maxContinuationFrames, maxResetsPerWindow, maxEncoderResetsPerWindow, resetWindow, maxPendingControlFrames, maxHpackTableBytes, maxHpackStringBytes, maxBodyBytes);
  }

  public Http2Limits withMaxConcurrentStreams(int value) {
    return new Http2Limits(maxFrameSize, maxHeaderListBytes, value, initialWindowBytes, continuationTimeout, maxHeaderFragmentBytes, maxContinuationFrames, maxResetsPerWindow, maxEncoderResetsPerWindow, resetWindow, maxPendingControlFrames, maxHpackTableBytes, maxHpackStringBytes, maxBodyBytes);
  }

  public Http2Limits withInitialWindowBytes(int value) {
    return new Http2Limits(maxFrameSize, maxHeaderListBytes, maxConcurrentStreams, value, continuationTimeout, maxHeaderFragmentBytes, maxContinuationFrames, maxResetsPerWindow, maxEncoderResetsPerWindow, resetWindow, maxPendingControlFrames, maxHpackTableBytes, maxHpackStringBytes, maxBodyBytes);
  }

  public Http2Limits withContinuationTimeout(Duration value) {
    return new Http2Limits(maxFrameSize, maxHeaderListBytes, maxConcurrentStreams, initialWindowBytes, value, maxHeaderFragmentBytes, maxContinuationFrames, maxResetsPerWindow, maxEncoderResetsPerWindow, resetWindow, maxPendingControlFrames, maxHpackTableBytes, maxHpackStringBytes, maxBodyBytes);
  }

  public Http2Limits withMaxHeaderFragmentBytes(int value) {
    return new Http2Limits(maxFrameSize, maxHeaderListBytes, maxConcurrentStreams, initialWindowBytes, continuationTimeout, value, maxContinuationFrames, maxResetsPerWindow, maxEncoderResetsPerWindow, resetWindow, maxPendingControlFrames, maxHpackTableBytes, maxHpackStringBytes, maxBodyBytes);
  }

  public Http2Limits withMaxContinuationFrames(int value) {
    return new Http2Limits(maxFrameSize, maxHeaderListBytes, maxConcurrentStreams, initialWindowBytes, continuationTimeout, maxHeaderFragmentBytes, value, maxResetsPerWindow, maxEncoderResetsPerWindow, resetWindow, maxPendingControlFrames, maxHpackTableBytes, maxHpackStringBytes, maxBodyBytes);
  }

  public Http2Limits withMaxResetsPerWindow(int value) {
    return new Http2Limits(maxFrameSize, maxHeaderListBytes, maxConcurrentStreams, initialWindowBytes, continuationTimeout, maxHeaderFragmentBytes, maxContinuationFrames, value, maxEncoderResetsPerWindow, resetWindow, maxPendingControlFrames, maxHpackTableBytes, maxHpackStringBytes, maxBodyBytes);
  }

  public Http2Limits withMaxEncoderResetsPerWindow(int value) {
    return new Http2Limits(maxFrameSize, maxHeaderListBytes, maxConcurrentStreams, initialWindowBytes, continuationTimeout, maxHeaderFragmentBytes, maxContinuationFrames, maxResetsPerWindow, value, resetWindow, maxPendingControlFrames, maxHpackTableBytes, maxHpackStringBytes, maxBodyBytes);
  }

  public Http2Limits withResetWindow(Duration value) {
    return new Http2Limits(maxFrameSize, maxHeaderListBytes, maxConcurrentStreams, initialWindowBytes, continuationTimeout, maxHeaderFragmentBytes, maxContinuationFrames, maxResetsPerWindow, maxEncoderResetsPerWindow, value, maxPendingControlFrames, maxHpackTableBytes, maxHpackStringBytes, maxBodyBytes);
  }

  public Http2Limits withMaxPendingControlFrames(int value) {
    return new Http2Limits(maxFrameSize, maxHeaderListBytes, maxConcurrentStreams, initialWindowBytes, continuationTimeout, maxHeaderFragmentBytes, maxContinuationFrames, maxResetsPerWindow, maxEncoderResetsPerWindow, resetWindow, value, maxHpackTableBytes, maxHpackStringBytes, maxBodyBytes);
  }

  public Http2Limits withMaxHpackTableBytes(int value) {
    return new Http2Limits(maxFrameSize, maxHeaderListBytes, maxConcurrentStreams, initialWindowBytes, continuationTimeout, maxHeaderFragmentBytes, maxContinuationFrames, maxResetsPerWindow, maxEncoderResetsPerWindow, resetWindow, maxPendingControlFrames, value, maxHpackStringBytes, maxBodyBytes);
  }

  public Http2Limits withMaxHpackStringBytes(int value) {
    return new Http2Limits(maxFrameSize, maxHeaderListBytes, maxConcurrentStreams, initialWindowBytes, continuationTimeout, maxHeaderFragmentBytes, maxContinuationFrames, maxResetsPerWindow, maxEncoderResetsPerWindow, resetWindow, maxPendingControlFrames, maxHpackTableBytes, value, maxBodyBytes);
  }

  public Http2Limits withMaxBodyBytes(long value) {
    return new Http2Limits(maxFrameSize, maxHeaderListBytes, maxConcurrentStreams, initialWindowBytes, continuationTimeout, maxHeaderFragmentBytes, maxContinuationFrames, maxResetsPerWindow, maxEncoderResetsPerWindow, resetWindow, maxPendingControlFrames, maxHpackTableBytes, maxHpackStringBytes, value);
  }
}
