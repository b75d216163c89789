package io.asupersync.combinator;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * How {@link Combinators#retry} retries: at most {@code maxAttempts} attempts, separated by an
 * exponential backoff capped at {@code maxBackoff} and shortened by a random jitter.
 *
 * <p>The pause after failed attempt {@code n} (from 1) is {@code min(maxBackoff, initialBackoff ×
 * multiplier^(n-1))}, then multiplied by a factor drawn uniformly from {@code [1 - jitter, 1]}.
 *
 * @param maxAttempts attempts in all, the first included; at least 1
 * @param initialBackoff pause after the first failed attempt; not negative
 * @param multiplier growth of the pause from one attempt to the next; finite and at least 1
 * @param maxBackoff cap on the pause before jitter; at least {@code initialBackoff}
 * @param jitter fraction of the pause that is random, from 0 (none) to 1 (anything up to the pause)
 * @param retryOn which {@link io.asupersync.Outcome.Err} errors are worth another attempt
 */
public record RetryPolicy(
    int maxAttempts,
    Duration initialBackoff,
    double multiplier,
    Duration maxBackoff,
    double jitter,
    Predicate<? super Exception> retryOn) {

  private static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(retryOn, "retryOn");
    if (initialBackoff.isNegative()) {
      throw new IllegalArgumentException("initialBackoff must not be negative, was " + initialBackoff);
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff " + maxBackoff + " must not be below initialBackoff " + initialBackoff);
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier must be finite and at least 1, was " + multiplier);
    }
    if (!(jitter >= 0.0 && jitter <= 1.0)) {
      throw new IllegalArgumentException("jitter must be within [0, 1], was " + jitter);
    }
  }

  /**
   * Up to {@code maxAttempts} attempts, the pause doubling from {@code initialBackoff} up to 30 s (or
   * {@code initialBackoff} if longer), no jitter, every Err retried.
   */
  public static RetryPolicy exponential(int maxAttempts, Duration initialBackoff) {
    Duration cap = initialBackoff.compareTo(DEFAULT_MAX_BACKOFF) > 0 ? initialBackoff : DEFAULT_MAX_BACKOFF;
    return new RetryPolicy(maxAttempts, initialBackoff, 2.0, cap, 0.0, e -> true);
  }

  /** Up to {@code maxAttempts} attempts with the same pause between them, no jitter, every Err retried. */
  public static RetryPolicy fixed(int maxAttempts, Duration backoff) {
    return new RetryPolicy(maxAttempts, backoff, 1.0, backoff, 0.0, e -> true);
  }

  public RetryPolicy withMultiplier(double value) {
    return new RetryPolicy(maxAttempts, initialBackoff, value, maxBackoff, jitter, retryOn);
  }

  public RetryPolicy withMaxBackoff(Duration value) {
    return new RetryPolicy(maxAttempts, initialBackoff, multiplier, value, jitter, retryOn);
  }

  public RetryPolicy withJitter(double value) {
    return new RetryPolicy(maxAttempts, initialBackoff, multiplier, maxBackoff, value, retryOn);
  }

  /** This policy retrying only the Err errors that {@code predicate} accepts. */
  public RetryPolicy retryingOn(Predicate<? super Exception> predicate) {
    return new RetryPolicy(maxAttempts, initialBackoff, multiplier, maxBackoff, jitter, predicate);
  }

  /**
   * The pause after failed attempt {@code attempt} (from 1); {@code random} is drawn from only when
   * {@code jitter > 0}.
   */
  public Duration backoff(int attempt, RandomGenerator random) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt counts from 1, was " + attempt);
    }
    double cap = nanos(maxBackoff);
    double base =
        initialBackoff.isZero()
            ? 0
            : Math.min(cap, nanos(initialBackoff) * Math.pow(multiplier, attempt - 1));
    if (jitter > 0) {
      base *= 1.0 - jitter * random.nextDouble();
    }
    return Duration.ofNanos((long) base); // a double past Long.MAX_VALUE narrows to Long.MAX_VALUE
  }

  private static double nanos(Duration d) {
    return d.getSeconds() * 1e9 + d.getNano();
  }
}
