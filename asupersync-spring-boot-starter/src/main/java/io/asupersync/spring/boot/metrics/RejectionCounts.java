package io.asupersync.spring.boot.metrics;

import java.util.Set;

/**
 * Counts of inputs a protocol rejected, by reason: the seam through which a protocol component (the
 * server's HTTP/2 codec, a client's decoder) exposes its rejections as the {@code asupersync.rejections}
 * counter. Declare one bean per protocol; {@link AsupersyncMetrics} binds every one.
 *
 * <p>The reasons must be a small fixed set (an enum's names in lower case, not a message): each becomes a
 * tag value.
 */
public interface RejectionCounts {

  /** Protocol tag value, such as {@code http2} or {@code grpc}. */
  String protocol();

  /** The reasons this source counts, fixed for its lifetime. */
  Set<String> reasons();

  /** Rejections for {@code reason} since start; monotonic. */
  long count(String reason);
}
