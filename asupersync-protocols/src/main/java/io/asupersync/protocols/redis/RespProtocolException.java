package io.asupersync.protocols.redis;

/**
 * A reply broke the RESP grammar or a {@link RedisLimits} limit. Raised by {@link RespDecoder}; inside
 * the client it closes the connection and becomes the cause of the {@link
 * RedisOutcomeUnknownException} of every command that was pending on it. A decoder never resyncs
 * after one: every later {@code decode} call throws it again.
 */
public final class RespProtocolException extends RedisException {
  private static final long serialVersionUID = 1L;

  /** What was wrong. */
  public enum Reason {
    /** A bulk string, verbatim string or blob error announced more than {@link RedisLimits#maxBulkBytes()}. */
    BULK_TOO_LARGE(true),
    /** An aggregate announced more than {@link RedisLimits#maxAggregateElements()} elements. */
    TOO_MANY_ELEMENTS(true),
    /** Aggregates nested deeper than {@link RedisLimits#maxNestingDepth()}. */
    NESTING_TOO_DEEP(true),
    /** No CRLF within {@link RedisLimits#maxLineBytes()} (32 bytes for a length or count). */
    LINE_TOO_LONG(true),
    /** One reply grew past {@link RedisLimits#maxReplyBytes()}. */
    REPLY_TOO_LARGE(true),
    /** A length or count that is not a decimal integer in range. */
    MALFORMED_LENGTH(false),
    /** A number, boolean, double, null or verbatim string that does not parse. */
    MALFORMED_VALUE(false),
    /** A type byte that RESP2/RESP3 does not define. */
    UNKNOWN_TYPE(false),
    /** A line or a bulk payload not terminated by CRLF. */
    MISSING_CRLF(false),
    /** A RESP3 streamed string or aggregate, which Redis does not send and this client does not read. */
    UNSUPPORTED_TYPE(false),
    /** A reply arrived with no command waiting for it. */
    UNEXPECTED_REPLY(false);

    private final boolean limit;

    Reason(boolean limit) {
      this.limit = limit;
    }

    /** Whether a configured limit was hit (rather than the grammar broken). */
    public boolean isLimit() {
      return limit;
    }
  }

  private final Reason reason;

  RespProtocolException(Reason reason, String message) {
    super(message, null);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
