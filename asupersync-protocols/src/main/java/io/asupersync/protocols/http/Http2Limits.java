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
 * @param maxHpackStringBytes largest decoded HPACK string, default 256 KiB
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
    int maxHpackStringBytes) {

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
        256 * 1024);
  }
}
