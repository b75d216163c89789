package io.asupersync.protocols.grpc;

/**
 * Why a {@link GrpcRouter} refused or failed a call on a limit or a broken message stream. Each reason
 * has a counter ({@link GrpcRouter#rejections()}); every occurrence is also traced as {@code
 * LIMIT_EXCEEDED} or {@code PROTOCOL_ERROR}.
 */
public enum GrpcRejectionReason {
  /** Request metadata over {@link GrpcLimits#maxMetadataBytes}: trailers-only {@code RESOURCE_EXHAUSTED}. */
  METADATA_TOO_LARGE(true),
  /** A {@code grpc-timeout} that does not parse: trailers-only {@code INTERNAL}. */
  MALFORMED_TIMEOUT(false),
  /** A request message announced over {@link GrpcLimits#maxInboundMessageBytes}: {@code RESOURCE_EXHAUSTED}. */
  MESSAGE_TOO_LARGE(true),
  /** A gzip request message inflating past {@link GrpcLimits#maxInboundMessageBytes}: {@code RESOURCE_EXHAUSTED}. */
  INFLATE_LIMIT(true),
  /** A compressed flag other than 0 or 1, or 1 without a {@code grpc-encoding}: {@code INTERNAL}. */
  BAD_COMPRESSED_FLAG(false),
  /** A compressed message in an encoding other than gzip: {@code UNIMPLEMENTED}. */
  UNSUPPORTED_ENCODING(false),
  /** A gzip request message that does not inflate: {@code INTERNAL}. */
  BAD_COMPRESSED_DATA(false),
  /** The request stream ended inside a message: {@code INTERNAL}. */
  TRUNCATED_MESSAGE(false),
  /** A response message over {@link GrpcLimits#maxOutboundMessageBytes}: {@code RESOURCE_EXHAUSTED}. */
  RESPONSE_TOO_LARGE(true),
  /** Response metadata added past {@link GrpcLimits#maxMetadataBytes}: the handler's add fails. */
  RESPONSE_METADATA_TOO_LARGE(true);

  private final boolean limit;

  GrpcRejectionReason(boolean limit) {
    this.limit = limit;
  }

  /** Whether a configured limit was hit (traced as LIMIT_EXCEEDED) rather than the protocol broken. */
  public boolean isLimit() {
    return limit;
  }
}
