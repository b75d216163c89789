package io.asupersync.protocols.grpc;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Limits of the gRPC server and client. A message over a size limit ends the call with {@code
 * RESOURCE_EXHAUSTED} before the message is buffered (inbound) or sent (outbound); a gzip message is
 * inflated only up to {@code maxInboundMessageBytes}.
 *
 * @param maxInboundMessageBytes largest message accepted, after decompression; default 4 MiB
 * @param maxOutboundMessageBytes largest message sent, before compression; default 4 MiB
 * @param maxMetadataBytes largest header block of a call (request headers on the server; response
 *     headers and trailers on the client), counted as HTTP/2 counts a header list: name and value
 *     lengths plus 32 per field; default 8 KiB
 * @param maxTimeout the server caps every call's deadline at this (also calls that sent no {@code
 *     grpc-timeout}); {@code null}, the default, honours the client's timeout as sent
 */
public record GrpcLimits(
    int maxInboundMessageBytes,
    int maxOutboundMessageBytes,
    int maxMetadataBytes,
    @Nullable Duration maxTimeout) {

  public static final int DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
  public static final int DEFAULT_MAX_METADATA_BYTES = 8 * 1024;

  private static final GrpcLimits DEFAULTS =
      new GrpcLimits(DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_METADATA_BYTES, null);

  public GrpcLimits {
    positive("maxInboundMessageBytes", maxInboundMessageBytes);
    positive("maxOutboundMessageBytes", maxOutboundMessageBytes);
    positive("maxMetadataBytes", maxMetadataBytes);
    if (maxTimeout != null && (maxTimeout.isNegative() || maxTimeout.isZero())) {
      throw new IllegalArgumentException("maxTimeout must be positive, was " + maxTimeout);
    }
  }

  /** 4 MiB in and out, 8 KiB of metadata, no timeout cap. */
  public static GrpcLimits defaults() {
    return DEFAULTS;
  }

  public GrpcLimits withMaxInboundMessageBytes(int bytes) {
    return new GrpcLimits(bytes, maxOutboundMessageBytes, maxMetadataBytes, maxTimeout);
  }

  public GrpcLimits withMaxOutboundMessageBytes(int bytes) {
    return new GrpcLimits(maxInboundMessageBytes, bytes, maxMetadataBytes, maxTimeout);
  }

  public GrpcLimits withMaxMetadataBytes(int bytes) {
    return new GrpcLimits(maxInboundMessageBytes, maxOutboundMessageBytes, bytes, maxTimeout);
  }

  public GrpcLimits withMaxTimeout(@Nullable Duration cap) {
    return new GrpcLimits(maxInboundMessageBytes, maxOutboundMessageBytes, maxMetadataBytes, cap);
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
