package io.asupersync.spring.boot.metrics;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@link RejectionCounts} over a protocol component's counters keyed by an enum of reasons (such as
 * {@code GrpcRouter.rejections()}): every constant is a reason, named in lower case ({@code
 * message_too_large}); a reason the snapshot lacks counts zero.
 *
 * @param <E> the component's reasons
 */
public final class EnumRejectionCounts<E extends Enum<E>> implements RejectionCounts {

  private final String protocol;
  private final Map<String, E> reasons;
  private final Supplier<? extends Map<E, Long>> counts;

  /**
   * @param counts read at every scrape; return an empty map while the component is not running
   */
  public EnumRejectionCounts(String protocol, Class<E> reasons, Supplier<? extends Map<E, Long>> counts) {
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    this.reasons =
        Arrays.stream(reasons.getEnumConstants())
            .collect(Collectors.toUnmodifiableMap(r -> r.name().toLowerCase(Locale.ROOT), r -> r));
    this.counts = Objects.requireNonNull(counts, "counts");
  }

  @Override
  public String protocol() {
    return protocol;
  }

  @Override
  public Set<String> reasons() {
    return reasons.keySet();
  }

  @Override
  public long count(String reason) {
    E known = reasons.get(reason);
    if (known == null) {
      return 0;
    }
    Long n = counts.get().get(known);
    return n == null ? 0 : n;
  }
}
