package io.asupersync.protocols.redis;

/**
 * What a Redis server may send: every announced length, count and nesting level of a reply is checked
 * against these before anything is allocated for it or waited for. A reply over a limit fails with
 * {@link RespProtocolException}, the connection is closed and every command pending on it fails as
 * {@link RedisOutcomeUnknownException}.
 *
 * @param maxBulkBytes length of one bulk string, verbatim string or blob error, default 16 MiB
 * @param maxAggregateElements elements of one array, set or push, or pairs of one map, default 1,000,000
 * @param maxNestingDepth aggregates open inside one another, default 64
 * @param maxLineBytes one simple-string, error, double or big-number line without its CRLF, default 64 KiB
 *     (a length or count line is refused past 32 bytes whatever this says)
 * @param maxReplyBytes wire bytes of one top-level reply, default 64 MiB: bounds what many elements that
 *     are each within their own limit can add up to
 */
public record RedisLimits(
    int maxBulkBytes, int maxAggregateElements, int maxNestingDepth, int maxLineBytes, long maxReplyBytes) {

  public RedisLimits {
    positive("maxBulkBytes", maxBulkBytes);
    positive("maxAggregateElements", maxAggregateElements);
    positive("maxNestingDepth", maxNestingDepth);
    positive("maxLineBytes", maxLineBytes);
    positive("maxReplyBytes", maxReplyBytes);
    if (maxBulkBytes > Integer.MAX_VALUE - 2) {
      throw new IllegalArgumentException("maxBulkBytes must leave room for the CRLF, was " + maxBulkBytes);
    }
  }

  /** The defaults from the design: 16 MiB, 1,000,000, 64, 64 KiB, 64 MiB. */
  public static RedisLimits defaults() {
    return new RedisLimits(16 * 1024 * 1024, 1_000_000, 64, 64 * 1024, 64L * 1024 * 1024);
  }

  public RedisLimits withMaxBulkBytes(int value) {
    return new RedisLimits(value, maxAggregateElements, maxNestingDepth, maxLineBytes, maxReplyBytes);
  }

  public RedisLimits withMaxAggregateElements(int value) {
    return new RedisLimits(maxBulkBytes, value, maxNestingDepth, maxLineBytes, maxReplyBytes);
  }

  public RedisLimits withMaxNestingDepth(int value) {
    return new RedisLimits(maxBulkBytes, maxAggregateElements, value, maxLineBytes, maxReplyBytes);
  }

  public RedisLimits withMaxLineBytes(int value) {
    return new RedisLimits(maxBulkBytes, maxAggregateElements, maxNestingDepth, value, maxReplyBytes);
  }

  public RedisLimits withMaxReplyBytes(long value) {
    return new RedisLimits(maxBulkBytes, maxAggregateElements, maxNestingDepth, maxLineBytes, value);
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
