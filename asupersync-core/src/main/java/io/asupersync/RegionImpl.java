package io.asupersync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import io.asupersync.internal.Stripes;
import io.asupersync.trace.TraceKind;
import org.jspecify.annotations.Nullable;

/** The engine's region: membership, cancel propagation and the close protocol. */
final class RegionImpl {
  private static final VarHandle CANCEL;

  static {
    try {
      CANCEL = MethodHandles.lookup().findVarHandle(RegionImpl.class, "cancelReason", CancelReason.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final long id;
  final Runtime runtime;
  /** A root region's handle in the runtime's set of roots. */
  int rootHandle;
  /** The runtime counters' stripe of this region's tree: its root's. */
  final int stripe;
  final @Nullable RegionImpl parent;
  final @Nullable TaskImpl<?> owner;
  final RegionPolicy policy;
  final Budget budget;

  private final ReentrantLock lock = new ReentrantLock();
  // Guarded by lock; see with/without: immutable while they hold at most one member (a request's root
  // region holds exactly one task and one child scope), an insertion-ordered LinkedHashSet from the
  // second member on (cancel order, which lab trace fingerprints depend on).
  private Set<TaskImpl<?>> tasks = Set.of();
  private Set<RegionImpl> children = Set.of();
  private final ArrayList<Finalizer> finalizers = new ArrayList<>();
  private @Nullable TaskImpl<?> drainWaiter;

  volatile RegionState state = RegionState.OPEN;
  private volatile @Nullable CancelReason cancelReason;
  private volatile @Nullable Outcome<?> firstFailure;

  RegionImpl(
      long id,
      Runtime runtime,
      @Nullable RegionImpl parent,
      @Nullable TaskImpl<?> owner,
      RegionPolicy policy,
      Budget budget) {
    this.id = id;
    this.runtime = runtime;
    this.parent = parent;
    this.owner = owner;
    this.policy = policy;
    this.budget = budget;
    this.stripe = parent != null ? parent.stripe : Stripes.current();
  }

  @Nullable CancelReason cancelReason() {
    return cancelReason;
  }

  // ---- membership

  <T> TaskImpl<T> spawn(@Nullable String name, Budget taskBudget, TaskBody<T> body) {
    TaskImpl<T> task = new TaskImpl<>(runtime.nextTaskId(), name, runtime, this, taskBudget, body, false);
    CancelReason reason;
    lock.lock();
    try {
      if (state != RegionState.OPEN) {
        throw new RegionClosedException(
            "region " + id + " is " + state + ": it no longer admits tasks");
      }
      tasks = with(tasks, task);
      reason = cancelReason;
    } finally {
      lock.unlock();
    }
    runtime.taskSpawned(task);
    if (reason != null) {
      task.requestCancel(reason, false);
    }
    task.start();
    return task;
  }

  RegionImpl openChild(TaskImpl<?> scopeOwner, RegionPolicy childPolicy, Budget childBudget) {
    RegionImpl child = new RegionImpl(runtime.nextRegionId(), runtime, this, scopeOwner, childPolicy, childBudget);
    CancelReason reason;
    lock.lock();
    try {
      if (state == RegionState.FINALIZING || state == RegionState.CLOSED) {
        throw new RegionClosedException("region " + id + " is " + state + ": it cannot open scopes");
      }
      children = with(children, child);
      reason = cancelReason;
    } finally {
      lock.unlock();
    }
    runtime.regionOpened(child);
    if (runtime.traceLifecycle) {
      runtime.trace(TraceKind.REGION_OPENED, scopeOwner.id, child.id, 0, Map.of("parent", Long.toString(id)));
    }
    if (reason != null) {
      child.requestCancel(runtime.parentCancelled(id, reason));
    }
    return child;
  }

  void addFinalizer(Finalizer finalizer) {
    lock.lock();
    try {
      if (state == RegionState.FINALIZING || state == RegionState.CLOSED) {
        throw new RegionClosedException("region " + id + " is " + state + ": too late to defer cleanup");
      }
      finalizers.add(finalizer);
    } finally {
      lock.unlock();
    }
    runtime.trace(TraceKind.FINALIZER_REGISTERED, owner != null ? owner.id : 0, id, 0, Map.of());
  }

  void taskCompleted(TaskImpl<?> task, Outcome<?> outcome) {
    boolean failed = false;
    boolean rootDone = false;
    TaskImpl<?> waiter;
    lock.lock();
    try {
      if (!task.finalizer) { // a finalizer task was never a member
        tasks = without(tasks, task);
      }
      if (policy == RegionPolicy.FAIL_FAST
          && !task.finalizer
          && firstFailure == null
          && (outcome instanceof Outcome.Err || outcome instanceof Outcome.Panicked)) {
        firstFailure = outcome;
        failed = true;
      }
      waiter = tasks.isEmpty() && children.isEmpty() ? drainWaiter : null;
      if (owner == null && parent == null && tasks.isEmpty() && children.isEmpty() && !task.finalizer) {
        rootDone = true;
      }
    } finally {
      lock.unlock();
    }
    if (rootDone) {
      runtime.rootClosed(this);
      return;
    }
    if (failed) {
      requestCancel(
          new CancelReason(
              CancelKind.FAIL_FAST,
              id,
              task.id,
              runtime.clock.now(),
              "task " + task.name() + " failed: " + describe(outcome),
              null));
    }
    wake(waiter);
  }

  private void childClosed(RegionImpl child) {
    TaskImpl<?> waiter;
    lock.lock();
    try {
      children = without(children, child);
      waiter = tasks.isEmpty() && children.isEmpty() ? drainWaiter : null;
    } finally {
      lock.unlock();
    }
    wake(waiter);
  }

  /**
   * {@code set} plus {@code member}, which it does not contain. A one-member set is {@code Set.of(x)}:
   * a hash set per region for its single member cost more than the rest of a request's membership
   * bookkeeping. Never {@code Set.of(a, b)}, whose iteration order is randomized per JVM.
   */
  private static <E> Set<E> with(Set<E> set, E member) {
    if (set instanceof LinkedHashSet<E> many) {
      many.add(member);
      return many;
    }
    if (set.isEmpty()) {
      return Set.of(member);
    }
    LinkedHashSet<E> many = new LinkedHashSet<>(set); // the one member first: insertion order kept
    many.add(member);
    return many;
  }

  /** {@code set} without {@code member}, which it contains. */
  private static <E> Set<E> without(Set<E> set, E member) {
    if (set instanceof LinkedHashSet<E> many) {
      many.remove(member);
      return many;
    }
    return Set.of(); // the one member
  }

  private void wake(@Nullable TaskImpl<?> task) {
    if (task != null) {
      runtime.scheduler.wake(task);
    }
  }

  // ---- cancellation

  /**
   * Records {@code reason} if stronger than the current one. Direct tasks and the owner's scope frame
   * get the reason itself; child regions get {@link CancelKind#PARENT_CANCELLED} caused by it.
   */
  boolean requestCancel(CancelReason reason) {
    CancelReason current;
    do {
      current = cancelReason;
      if (!reason.isStrongerThan(current)) {
        return false;
      }
    } while (!CANCEL.compareAndSet(this, current, reason));
    runtime.trace(
        TraceKind.CANCEL_REQUESTED,
        0,
        id,
        0,
        Map.of("kind", reason.kind().name(), "message", reason.message()));
    TaskImpl<?>[] members;
    RegionImpl[] subRegions;
    lock.lock();
    try {
      members = tasks.toArray(new TaskImpl<?>[0]);
      subRegions = children.toArray(new RegionImpl[0]);
    } finally {
      lock.unlock();
    }
    for (TaskImpl<?> t : members) {
      t.requestCancel(reason, false);
    }
    if (subRegions.length > 0) {
      CancelReason inherited = runtime.parentCancelled(id, reason);
      for (RegionImpl r : subRegions) {
        r.requestCancel(inherited);
      }
    }
    wake(owner);
    return true;
  }

  // ---- close protocol (runs on the owner's thread)

  /** Closes the region after its owner's body ended with {@code bodyOutcome}; returns the scope's outcome. */
  <T> Outcome<T> close(Outcome<T> bodyOutcome) {
    boolean cancelFirst = !bodyOutcome.isOk() && cancelReason == null;
    Outcome<T> result;
    if (!cancelFirst && closeIfEmpty()) {
      result = withFirstFailure(bodyOutcome);
    } else {
      setState(RegionState.CLOSING);
      if (cancelFirst) {
        CancelKind kind =
            bodyOutcome instanceof Outcome.Cancelled ? CancelKind.PARENT_CANCELLED : CancelKind.FAIL_FAST;
        requestCancel(
            new CancelReason(
                kind,
                id,
                owner != null ? owner.id : 0,
                runtime.clock.now(),
                "scope body ended " + describe(bodyOutcome),
                bodyOutcome instanceof Outcome.Cancelled<T> c ? c.reason() : null));
      }
      setState(RegionState.DRAINING);
      drain();
      setState(RegionState.FINALIZING);
      result = runFinalizers(withFirstFailure(bodyOutcome));
      setState(RegionState.CLOSED);
    }
    runtime.regionClosed(this);
    if (parent != null) {
      parent.childClosed(this);
    }
    if (runtime.traceLifecycle) {
      runtime.trace(TraceKind.REGION_CLOSED, owner != null ? owner.id : 0, id, 0, outcomeAttribute(result));
    }
    return result;
  }

  /** The scope's outcome before finalizers: a member's failure replaces the body's, unless it panicked. */
  @SuppressWarnings("unchecked")
  private <T> Outcome<T> withFirstFailure(Outcome<T> bodyOutcome) {
    Outcome<?> failure = firstFailure;
    return failure != null && !(bodyOutcome instanceof Outcome.Panicked) ? (Outcome<T>) failure : bodyOutcome;
  }

  /**
   * Closes the region in one step if it holds no task, child or finalizer (most request scopes): one
   * lock instead of one per state of the close protocol. Nothing can be added meanwhile: only the owner
   * (closing it) and the region's tasks (none) add them.
   */
  private boolean closeIfEmpty() {
    lock.lock();
    try {
      if (!tasks.isEmpty() || !children.isEmpty() || !finalizers.isEmpty()) {
        return false;
      }
      state = RegionState.CLOSED;
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void setState(RegionState next) {
    lock.lock();
    try {
      state = next;
    } finally {
      lock.unlock();
    }
  }

  private void drain() {
    TaskImpl<?> closer = Objects.requireNonNull(owner, "only scope regions drain");
    Instant drainDeadline = null;
    while (true) {
      lock.lock();
      try {
        if (tasks.isEmpty() && children.isEmpty()) {
          drainWaiter = null;
          return;
        }
        drainWaiter = closer;
      } finally {
        lock.unlock();
      }
      Instant now = runtime.clock.now();
      CancelReason reason = cancelReason;
      if (reason == null && budget.isExpired(now)) {
        requestCancel(
            new CancelReason(CancelKind.DEADLINE, id, 0, now, "region deadline passed while draining", null));
        continue;
      }
      Instant wakeAt;
      if (reason != null) {
        if (drainDeadline == null) {
          drainDeadline = now.plus(runtime.cleanupBudget(reason.kind()));
        }
        if (!now.isBefore(drainDeadline)) {
          abandonStragglers(reason);
          return;
        }
        wakeAt = drainDeadline;
      } else {
        wakeAt = budget.deadline();
      }
      runtime.scheduler.park(closer, wakeAt, this);
    }
  }

  private void abandonStragglers(CancelReason reason) {
    List<TaskImpl<?>> left = new ArrayList<>();
    lock.lock();
    try {
      collectLiveTasks(left);
      drainWaiter = null;
    } finally {
      lock.unlock();
    }
    for (TaskImpl<?> t : left) {
      runtime.markStraggler(t);
    }
    runtime.trace(
        TraceKind.DRAIN_OVERRUN,
        owner != null ? owner.id : 0,
        id,
        0,
        Map.of(
            "cleanupBudget", runtime.cleanupBudget(reason.kind()).toString(),
            "stragglers", left.stream().map(t -> t.id + ":" + t.name()).collect(Collectors.joining(","))));
    runtime.log(
        System.Logger.Level.WARNING,
        "region " + id + " did not drain within its cleanup budget; stragglers: " + left);
  }

  /** Adds live tasks of this region and of its live descendants; caller holds {@link #lock}. */
  private void collectLiveTasks(List<TaskImpl<?>> into) {
    into.addAll(tasks);
    for (RegionImpl child : children) {
      child.lock.lock();
      try {
        child.collectLiveTasks(into);
      } finally {
        child.lock.unlock();
      }
    }
  }

  @SuppressWarnings("NullAway") // finalizer tasks return null by design
  private <T> Outcome<T> runFinalizers(Outcome<T> result) {
    List<Finalizer> toRun;
    lock.lock();
    try {
      if (finalizers.isEmpty()) {
        return result;
      }
      toRun = new ArrayList<>(finalizers);
      finalizers.clear();
    } finally {
      lock.unlock();
    }
    for (int i = toRun.size() - 1; i >= 0; i--) {
      Finalizer f = toRun.get(i);
      Instant deadline = runtime.clock.now().plus(runtime.finalizerBudget);
      TaskImpl<Void> task =
          new TaskImpl<>(
              runtime.nextTaskId(),
              "finalizer-" + id + "-" + i,
              runtime,
              this,
              budget.withDeadline(deadline),
              cx -> {
                f.run(cx);
                return null;
              },
              true);
      CancelReason why = cancelReason;
      if (why != null) {
        task.requestCancel(why, false); // visible to the cleanup code, deferred by its mask
      }
      runtime.taskSpawned(task);
      task.start();
      if (!task.awaitDoneAs(Objects.requireNonNull(owner), deadline)) {
        runtime.markStraggler(task);
        runtime.trace(
            TraceKind.FINALIZER_OVERRUN,
            task.id,
            id,
            0,
            Map.of("budget", runtime.finalizerBudget.toString()));
        runtime.log(
            System.Logger.Level.WARNING,
            "finalizer " + task.name() + " overran its budget of " + runtime.finalizerBudget);
        continue;
      }
      Outcome<Void> fo = task.outcomeOrNull();
      runtime.trace(TraceKind.FINALIZER_RAN, task.id, id, 0, Map.of());
      if (fo != null && !fo.isOk()) {
        runtime.trace(TraceKind.FINALIZER_FAILED, task.id, id, 0, Map.of("outcome", describe(fo)));
        result = result.combine(retype(fo));
      }
    }
    return result;
  }

  @SuppressWarnings("unchecked")
  private static <T> Outcome<T> retype(Outcome<?> o) {
    return (Outcome<T>) o;
  }

  // ---- views

  RuntimeSnapshot.RegionInfo info(List<TaskImpl<?>> liveTasksOut) {
    lock.lock();
    try {
      liveTasksOut.addAll(tasks);
      return new RuntimeSnapshot.RegionInfo(
          id,
          parent != null ? parent.id : 0,
          owner != null ? owner.id : 0,
          state,
          policy,
          cancelReason,
          tasks.stream().map(t -> t.id).sorted().toList(),
          children.stream().map(r -> r.id).sorted().toList());
    } finally {
      lock.unlock();
    }
  }

  List<RegionImpl> childrenCopy() {
    lock.lock();
    try {
      return new ArrayList<>(children);
    } finally {
      lock.unlock();
    }
  }

  private static final Map<String, String> OUTCOME_OK = Map.of("outcome", "ok");
  private static final Map<String, String> OUTCOME_ERR = Map.of("outcome", "err");
  private static final Map<String, String> OUTCOME_CANCELLED = Map.of("outcome", "cancelled");
  private static final Map<String, String> OUTCOME_PANICKED = Map.of("outcome", "panicked");

  /** The {@code outcome} attribute of a close or completion event, one shared map per kind. */
  static Map<String, String> outcomeAttribute(Outcome<?> o) {
    return switch (o) {
      case Outcome.Ok<?> ok -> OUTCOME_OK;
      case Outcome.Err<?> err -> OUTCOME_ERR;
      case Outcome.Cancelled<?> c -> OUTCOME_CANCELLED;
      case Outcome.Panicked<?> p -> OUTCOME_PANICKED;
    };
  }

  static String describe(Outcome<?> o) {
    return switch (o) {
      case Outcome.Ok<?> ok -> "ok";
      case Outcome.Err<?> err -> "err " + err.error();
      case Outcome.Cancelled<?> c -> "cancelled " + c.reason().kind();
      case Outcome.Panicked<?> p -> "panicked " + p.cause();
    };
  }

  /**
   * Equality stays identity; the hash is the mixed id instead of the identity hash, which the JVM must
   * generate and install in the object header the first time a new region enters a hash set.
   */
  @Override
  public int hashCode() {
    return Long.hashCode(Runtime.mix64(id));
  }

  @Override
  public String toString() {
    return "Region[" + id + " " + state + "]";
  }
}
