package io.asupersync.protocols.http.internal;

import io.asupersync.protocols.http.Http2Limits;
import io.asupersync.protocols.http.RejectionReason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.logging.LogLevel;
import java.nio.charset.StandardCharsets;

/**
 * Sees every GOAWAY, RST_STREAM and 431 the codec sends, whoever decided it (Netty's limits, our guard,
 * the codec's protocol checks), and turns each error into a counted, traced rejection. Trace details are
 * our own fixed text and limit values: never the peer's header names or values.
 */
final class FrameEvents extends Http2FrameLogger {

  private final ServerEngine engine;
  private final long connection;
  private final Http2Limits limits;
  private int last431Stream = -1;

  FrameEvents(ServerEngine engine, long connection) {
    super(LogLevel.TRACE, "io.asupersync.protocols.http2.frames");
    this.engine = engine;
    this.connection = connection;
    this.limits = engine.config.http2Limits();
  }

  @Override
  public void logGoAway(
      Direction direction, ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
    if (direction != Direction.OUTBOUND || errorCode == Http2Error.NO_ERROR.code()) {
      return;
    }
    String debug = debugData.toString(StandardCharsets.UTF_8);
    RejectionReason reason;
    String detail;
    if (errorCode == Http2Error.ENHANCE_YOUR_CALM.code()) {
      if (debug.startsWith("Maximum number of RST frames")) {
        reason = RejectionReason.RAPID_RESET;
        detail = "maxResetsPerWindow=" + limits.maxResetsPerWindow();
      } else if (debug.contains("RST frames")) {
        reason = RejectionReason.ENCODER_RESET_FLOOD;
        detail = "maxEncoderResetsPerWindow=" + limits.maxEncoderResetsPerWindow();
      } else if (debug.contains("outstanding control frames")) {
        reason = RejectionReason.CONTROL_FRAME_FLOOD;
        detail = "maxPendingControlFrames=" + limits.maxPendingControlFrames();
      } else if (debug.startsWith("header block not finished")) {
        reason = RejectionReason.CONTINUATION_TIMEOUT;
        detail = "continuationTimeout=" + limits.continuationTimeout();
      } else if (debug.startsWith("header block exceeds") || debug.contains("continuations")) {
        reason = RejectionReason.CONTINUATION_FLOOD;
        detail = "maxContinuationFrames=" + limits.maxContinuationFrames() + ",maxHeaderFragmentBytes=" + limits.maxHeaderFragmentBytes();
      } else {
        reason = RejectionReason.FLOOD;
        detail = "ENHANCE_YOUR_CALM";
      }
    } else if (errorCode == Http2Error.COMPRESSION_ERROR.code()) {
      reason = RejectionReason.COMPRESSION_ERROR;
      detail = "maxHpackTableBytes=" + limits.maxHpackTableBytes();
    } else {
      reason = RejectionReason.PROTOCOL_ERROR;
      detail = "GOAWAY " + name(errorCode);
    }
    engine.reject(reason, "HTTP/2", connection, 0, detail);
  }

  @Override
  public void logRstStream(Direction direction, ChannelHandlerContext ctx, int streamId, long errorCode) {
    if (direction != Direction.OUTBOUND || streamId == last431Stream) {
      return;
    }
    if (errorCode == Http2Error.REFUSED_STREAM.code()) {
      engine.reject(RejectionReason.STREAM_REFUSED, "HTTP/2", connection, streamId, "maxConcurrentStreams=" + limits.maxConcurrentStreams());
    } else if (errorCode == Http2Error.COMPRESSION_ERROR.code()) {
      engine.reject(RejectionReason.COMPRESSION_ERROR, "HTTP/2", connection, streamId, "RST_STREAM COMPRESSION_ERROR");
    } else if (errorCode != Http2Error.NO_ERROR.code()
        && errorCode != Http2Error.CANCEL.code()
        && errorCode != Http2Error.INTERNAL_ERROR.code()) {
      engine.reject(RejectionReason.PROTOCOL_ERROR, "HTTP/2", connection, streamId, "RST_STREAM " + name(errorCode));
    }
  }

  @Override
  public void logHeaders(
      Direction direction,
      ChannelHandlerContext ctx,
      int streamId,
      Http2Headers headers,
      int padding,
      boolean endStream) {
    if (direction == Direction.OUTBOUND && endStream && headers.status() != null && "431".contentEquals(headers.status())) {
      // only Netty answers 431 on HTTP/2: when HPACK decoding went over the header list size
      last431Stream = streamId;
      engine.reject(RejectionReason.HEADER_LIST_TOO_LARGE, "HTTP/2", connection, streamId, "maxHeaderListBytes=" + limits.maxHeaderListBytes());
    }
  }

  @Override
  public void logHeaders(
      Direction direction,
      ChannelHandlerContext ctx,
      int streamId,
      Http2Headers headers,
      int streamDependency,
      short weight,
      boolean exclusive,
      int padding,
      boolean endStream) {
    logHeaders(direction, ctx, streamId, headers, padding, endStream);
  }

  private static String name(long code) {
    Http2Error e = Http2Error.valueOf(code);
    return e == null ? Long.toString(code) : e.name();
  }
}
