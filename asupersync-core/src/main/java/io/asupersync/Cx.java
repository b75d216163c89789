package io.asupersync;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import io.asupersync.internal.RuntimeAccess;
import io.asupersync.trace.TraceKind;
import org.jspecify.annotations.Nullable;

/**
 * The capability context of one task (or of a scope body within it), passed explicitly to every task
 * body. Everything a task may do to the runtime goes through it: checkpoints, sleeping, reading the
 * clock and the seeded random source, tracing, reserving obligations, spawning into its region and
 * opening child scopes.
 *
 * <p>A Cx belongs to its task's thread; handing it to another thread is a programming error.
 *
 * <p>Cancellation is level-triggered: once requested, every checkpoint (and every runtime wait)
 * throws {@link CancelledException} until the task ends, unless a {@link #masked} section defers it.
 */
public final class Cx {

  /** The deepest nesting of {@link #masked} sections. */
  public static final int MAX_MASK_DEPTH = 64;

  static {
    RuntimeAccess.registerAttachments(cx -> cx.task.runtime.attachments);
  }

  final TaskImpl<?> task;
  final RegionImpl region;
  private final Budget budget;
  private final long pollBase;
  private final long costBase;
  /**
   * On the system clock, the earlier of this context's and its task's deadlines as a {@code nanoTime}
   * reading ({@link SystemClock#nanoTimeOf}): a checkpoint that has not reached it skips the deadline
   * checks without reading the clock as an {@code Instant}. Other clocks (the lab's) take the exact path
   * every time.
   */
  private final long deadlineNanoTime;
  private final boolean nanoDeadline;

  Cx(TaskImpl<?> task, RegionImpl region, Budget budget, long pollBase, long costBase) {
    this.task = task;
    this.region = region;
    this.budget = budget;
    this.pollBase = pollBase;
    this.costBase = costBase;
    Instant deadline = budget.deadline();
    if (deadline != null && task.runtime.clock == SystemClock.INSTANCE) {
      long at = SystemClock.INSTANCE.nanoTimeOf(deadline);
      Instant taskDeadline = task.budget.deadline();
      if (taskDeadline != null && taskDeadline != deadline) {
        long taskAt = SystemClock.INSTANCE.nanoTimeOf(taskDeadline);
        at = taskAt - at < 0 ? taskAt : at;
      }
      deadlineNanoTime = at;
      nanoDeadline = true;
    } else {
      deadlineNanoTime = 0;
      nanoDeadline = false;
    }
  }

  public long taskId() {
    return task.id;
  }

  public String taskName() {
    return task.name();
  }

  /** The region this context spawns into: the task's region, or the innermost scope it opened. */
  public long regionId() {
    return region.id;
  }

  /** The budget this context was given. */
  public Budget budget() {
    return budget;
  }

  /** The budget minus what was already spent: quotas reduced by checkpoints and charges so far. */
  public Budget remaining() {
    if (budget.pollQuota() == Long.MAX_VALUE && budget.costQuota() == Long.MAX_VALUE) {
      return budget; // nothing to subtract from: spare the copy on every spawn and scope
    }
    long polls = task.polls - pollBase;
    long spent = task.cost - costBase;
    return new Budget(
        budget.deadline(),
        Math.max(0, saturatingSub(budget.pollQuota(), polls)),
        Math.max(0, saturatingSub(budget.costQuota(), spent)),
        budget.priority());
  }

  private static long saturatingSub(long quota, long used) {
    return quota == Long.MAX_VALUE ? Long.MAX_VALUE : quota - used;
  }

  /**
   * A cancellation point. Counts one poll against the budget, turns a spent budget into a cancel
   * request (deadline, poll quota, cost quota), and throws {@link CancelledException} if cancellation
   * was requested and no mask is active.
   */
  public void checkpoint() {
    TaskImpl<?> t = task;
    t.runtime.scheduler.yieldPoint(t);
    long polls = ++t.polls;
    enforceBudget(polls);
    CancelReason reason = effectiveReason();
    if (reason != null && t.maskDepth == 0) {
      t.acknowledgeCancel(reason);
      throw new CancelledException(reason);
    }
  }

  private void enforceBudget(long polls) {
    TaskImpl<?> t = task;
    Budget taskBudget = t.budget;
    if (polls > taskBudget.pollQuota()) {
      t.requestCancel(reasonFor(CancelKind.POLL_QUOTA, "poll quota of " + taskBudget.pollQuota() + " spent"), true);
    } else if (polls - pollBase > budget.pollQuota() && region != t.region) {
      region.requestCancel(reasonFor(CancelKind.POLL_QUOTA, "scope poll quota of " + budget.pollQuota() + " spent"));
    }
    if (budget.deadline() != null && (!nanoDeadline || SystemClock.reached(deadlineNanoTime))) {
      Instant now = now();
      if (taskBudget.isExpired(now)) {
        t.requestCancel(reasonFor(CancelKind.DEADLINE, "deadline " + taskBudget.deadline() + " passed"), true);
      } else if (budget.isExpired(now) && region != t.region) {
        region.requestCancel(reasonFor(CancelKind.DEADLINE, "scope deadline " + budget.deadline() + " passed"));
      }
    }
  }

  /**
   * Charges {@code amount} against the cost quota; once it is exceeded, cancellation is requested with
   * {@link CancelKind#COST_BUDGET} (observed at the next checkpoint).
   */
  public void charge(long amount) {
    if (amount < 0) {
      throw new IllegalArgumentException("cost must not be negative");
    }
    TaskImpl<?> t = task;
    t.cost += amount;
    if (t.cost > t.budget.costQuota()) {
      t.requestCancel(reasonFor(CancelKind.COST_BUDGET, "cost quota of " + t.budget.costQuota() + " spent"), true);
    } else if (t.cost - costBase > budget.costQuota() && region != t.region) {
      region.requestCancel(reasonFor(CancelKind.COST_BUDGET, "scope cost quota of " + budget.costQuota() + " spent"));
    }
  }

  private CancelReason reasonFor(CancelKind kind, String message) {
    return new CancelReason(kind, region.id, task.id, now(), message, null);
  }

  /** Whether cancellation was requested for this task or its enclosing scope (masked or not). */
  public boolean isCancelRequested() {
    return effectiveReason() != null;
  }

  /** The recorded cancel reason, with its cause chain. */
  public Optional<CancelReason> cancelReason() {
    return Optional.ofNullable(effectiveReason());
  }

  @Nullable CancelReason effectiveReason() {
    CancelReason reason = task.cancelReason();
    if (region != task.region) {
      CancelReason scoped = region.cancelReason();
      if (scoped != null && (reason == null || scoped.isStrongerThan(reason))) {
        reason = scoped;
      }
    }
    return reason;
  }

  /**
   * Runs {@code section} with cancellation deferred: checkpoints inside do not throw and waits do
   * not wake for it. Keep sections short; the first checkpoint after the section observes any
   * request made meanwhile.
   *
   * @throws IllegalStateException when sections nest deeper than {@link #MAX_MASK_DEPTH}
   */
  public <T extends @Nullable Object> T masked(Supplier<T> section) {
    TaskImpl<?> t = task;
    if (t.maskDepth >= MAX_MASK_DEPTH) {
      throw new IllegalStateException("masked sections nest deeper than " + MAX_MASK_DEPTH);
    }
    t.maskDepth++;
    try {
      return section.get();
    } finally {
      t.maskDepth--;
    }
  }

  /** {@link #masked(Supplier)} for a section without a result. */
  public void runMasked(Runnable section) {
    masked(
        () -> {
          section.run();
          return null;
        });
  }

  /** Whether a masked section is active. */
  public boolean isMasked() {
    return task.maskDepth > 0;
  }

  /** Sleeps on the runtime clock; wakes early (and throws) when cancelled. */
  public void sleep(Duration duration) {
    Instant until = now().plus(duration);
    while (true) {
      checkpoint();
      if (!now().isBefore(until)) {
        return;
      }
      park(until);
    }
  }

  /**
   * Blocks the calling task until its {@link #waker()} is woken, {@code until} passes,
   * its budget deadline passes, or cancellation is requested while unmasked; it may also return
   * spuriously. For authors of wait primitives: re-check your condition and call {@link #checkpoint}
   * after it returns. Thread interrupts are treated as a spurious wake-up and cleared.
   */
  public void park(@Nullable Instant until) {
    if (task.maskDepth == 0 && effectiveReason() != null) {
      return;
    }
    Instant wakeAt = earliest(until, task.maskDepth == 0 ? budget.deadline() : null);
    task.runtime.scheduler.park(task, wakeAt, this);
  }

  /** Wakes this task from {@link #park}; hand it to whoever will signal the condition it waits for. */
  public Waker waker() {
    return task.waker();
  }

  private static @Nullable Instant earliest(@Nullable Instant a, @Nullable Instant b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.isBefore(b) ? a : b;
  }

  /**
   * Whether this task runs under the deterministic lab scheduler. I/O primitives use it to switch to
   * in-memory stand-ins; application code should not need it.
   */
  public boolean isLab() {
    return task.runtime.scheduler.isDeterministic();
  }

  /** The runtime clock. */
  public Instant now() {
    return task.runtime.clock.now();
  }

  /** This task's random source, seeded from the runtime seed and the task id. */
  public RandomGenerator random() {
    return task.random();
  }

  /** Records a user trace event named {@code name}. */
  public void trace(String name, Map<String, String> attributes) {
    Map<String, String> attrs = new java.util.HashMap<>(attributes);
    attrs.put("name", name);
    task.runtime.trace(TraceKind.USER, task.id, region.id, 0, attrs);
  }

  public void trace(String name) {
    trace(name, Map.of());
  }

  /** Reserves an obligation held by this task. */
  public Obligation reserve(ObligationKind kind, String description) {
    return reserve(kind, description, null);
  }

  /**
   * Reserves an obligation held by this task; {@code onAbort} runs exactly once if it ends without
   * being committed (aborted, leaked or recovered), to give back what the reservation held.
   */
  public Obligation reserve(ObligationKind kind, String description, @Nullable Runnable onAbort) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(description, "description");
    ObligationImpl o =
        new ObligationImpl(task.runtime.nextObligationId(), kind, description, task, region, onAbort);
    task.hold(o);
    task.runtime.obligationReserved(o);
    task.runtime.scheduler.yieldPoint(task);
    return o;
  }

  /** Spawns a task into this context's region with this context's remaining budget. */
  public <T> TaskHandle<T> spawn(TaskBody<T> body) {
    return spawn(null, Budget.unlimited(), body);
  }

  public <T> TaskHandle<T> spawn(String name, TaskBody<T> body) {
    return spawn(name, Budget.unlimited(), body);
  }

  /**
   * Spawns a task into this context's region with budget {@code remaining().meet(requested)}.
   *
   * @throws RegionClosedException if the region is closing
   */
  public <T> TaskHandle<T> spawn(@Nullable String name, Budget requested, TaskBody<T> body) {
    Objects.requireNonNull(body, "body");
    TaskHandle<T> handle = region.spawn(name, remaining().meet(requested), body);
    task.runtime.scheduler.yieldPoint(task);
    return handle;
  }

  /** Runs {@code body} in a new fail-fast child scope; see {@link #scope(RegionPolicy, Budget, TaskBody)}. */
  public <T> Outcome<T> scope(TaskBody<T> body) {
    return scope(RegionPolicy.FAIL_FAST, Budget.unlimited(), body);
  }

  /**
   * Opens a child region, runs {@code body} in it on this task, and closes it: once the body ends
   * (returns or throws), the region stops admitting tasks, waits for every task and child region
   * (cancelled ones within their cleanup budget), runs its finalizers, and only then returns. A body
   * that fails cancels the region's tasks first.
   *
   * @return the body's outcome; under {@link RegionPolicy#FAIL_FAST}, the first failed task's outcome
   *     if one failed (unless the body itself panicked); combined with any failed finalizer
   */
  public <T> Outcome<T> scope(RegionPolicy policy, Budget requested, TaskBody<T> body) {
    Objects.requireNonNull(body, "body");
    Budget childBudget = remaining().meet(requested);
    RegionImpl child = region.openChild(task, policy, childBudget);
    task.pushScope(child);
    try {
      Cx inner = new Cx(task, child, childBudget, task.polls, task.cost);
      Outcome<T> bodyOutcome = TaskImpl.invoke(inner, body);
      bodyOutcome = task.settleObligations(bodyOutcome, child);
      return child.close(bodyOutcome);
    } finally {
      task.popScope(child);
    }
  }

  /**
   * Registers cleanup on this context's region, run when it closes (last registered first, masked,
   * within the finalizer budget).
   */
  public void defer(Finalizer finalizer) {
    region.addFinalizer(Objects.requireNonNull(finalizer, "finalizer"));
  }

  /** Requests cancellation of this context's region (its tasks, child regions and scope body). */
  public void cancelScope(String message) {
    region.requestCancel(reasonFor(CancelKind.USER, message));
  }

  @Override
  public String toString() {
    return "Cx[task=" + task.id + ", region=" + region.id + "]";
  }
}
