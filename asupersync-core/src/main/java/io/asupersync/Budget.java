package io.asupersync;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What a task may spend: an absolute deadline on the runtime clock, a checkpoint (poll) quota, a cost
 * quota and a priority. Budgets only shrink down the tree: a child's budget is always
 * {@code parent.meet(child)}.
 *
 * @param deadline the instant after which the work is cancelled with {@link CancelKind#DEADLINE};
 *     null for none
 * @param pollQuota how many checkpoints may pass before {@link CancelKind#POLL_QUOTA}
 * @param costQuota how much cost ({@link Cx#charge(long)}) may be charged before {@link
 *     CancelKind#COST_BUDGET}
 * @param priority scheduling priority; higher is more urgent
 */
public record Budget(@Nullable Instant deadline, long pollQuota, long costQuota, int priority) {

  private static final Budget UNLIMITED = new Budget(null, Long.MAX_VALUE, Long.MAX_VALUE, 0);

  public Budget {
    if (pollQuota < 0 || costQuota < 0) {
      throw new IllegalArgumentException("quotas must not be negative");
    }
  }

  /** No deadline, unlimited quotas, priority 0: the identity of {@link #meet}. */
  public static Budget unlimited() {
    return UNLIMITED;
  }

  /** An otherwise unlimited budget whose deadline is {@code timeout} after {@code now}. */
  public static Budget timeout(Instant now, Duration timeout) {
    return UNLIMITED.withDeadline(now.plus(timeout));
  }

  public Budget withDeadline(@Nullable Instant newDeadline) {
    return new Budget(newDeadline, pollQuota, costQuota, priority);
  }

  public Budget withPollQuota(long quota) {
    return new Budget(deadline, quota, costQuota, priority);
  }

  public Budget withCostQuota(long quota) {
    return new Budget(deadline, pollQuota, quota, priority);
  }

  public Budget withPriority(int newPriority) {
    return new Budget(deadline, pollQuota, costQuota, newPriority);
  }

  /** The earlier deadline, the smaller quotas and the higher priority of the two budgets. */
  public Budget meet(Budget other) {
    if (other == UNLIMITED || other.equals(this)) {
      return this;
    }
    if (this == UNLIMITED) {
      return other;
    }
    Instant d;
    if (deadline == null) {
      d = other.deadline;
    } else if (other.deadline == null) {
      d = deadline;
    } else {
      d = deadline.isBefore(other.deadline) ? deadline : other.deadline;
    }
    return new Budget(
        d,
        Math.min(pollQuota, other.pollQuota),
        Math.min(costQuota, other.costQuota),
        Math.max(priority, other.priority));
  }

  /** Whether the deadline is set and not after {@code now}. */
  public boolean isExpired(Instant now) {
    return deadline != null && !now.isBefore(deadline);
  }

  /** Time left until the deadline (zero once passed), or null when there is no deadline. */
  public @Nullable Duration remainingTime(Instant now) {
    if (deadline == null) {
      return null;
    }
    Duration left = Duration.between(now, deadline);
    return left.isNegative() ? Duration.ZERO : left;
  }
}
