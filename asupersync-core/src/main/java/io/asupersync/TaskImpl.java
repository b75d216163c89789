package io.asupersync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.random.RandomGenerator;
import io.asupersync.internal.SchedulableTask;
import io.asupersync.trace.TraceKind;
import org.jspecify.annotations.Nullable;

/** The engine's task: its cancel cell, budget counters, obligation bag and completion. */
final class TaskImpl<T> implements TaskHandle<T>, SchedulableTask {
  private static final VarHandle CANCEL;
  private static final VarHandle JOINERS;
  private static final Waiter DONE = new Waiter(null, null);
  private static final RegionImpl[] NO_SCOPES = new RegionImpl[0];
  /** The bag of a task that never reserved: shared, as nothing is stored in a zero-length array. */
  private static final @Nullable ObligationImpl[] NO_OBLIGATIONS = new ObligationImpl[0];

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      CANCEL = l.findVarHandle(TaskImpl.class, "cancelReason", CancelReason.class);
      JOINERS = l.findVarHandle(TaskImpl.class, "joiners", Waiter.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final long id;
  private final @Nullable String givenName;
  final Runtime runtime;
  final RegionImpl region;
  final Budget budget;
  private final TaskBody<T> body;
  final boolean finalizer;

  volatile @Nullable Thread thread;
  private volatile @Nullable CancelReason cancelReason;
  volatile TaskState state = TaskState.RUNNING;
  private volatile @Nullable Outcome<T> outcome;
  @SuppressWarnings("unused") // accessed through JOINERS
  private volatile @Nullable Waiter joiners;
  volatile boolean straggler;
  /** Regions opened by this task's scopes, innermost last; replaced wholesale (copy on write). */
  private volatile RegionImpl[] openScopes = NO_SCOPES;

  // Touched only by the task's own thread.
  int maskDepth;
  long polls;
  long cost;
  private @Nullable ObligationImpl[] held = NO_OBLIGATIONS;
  private int heldCount;
  private @Nullable RandomGenerator random;
  private @Nullable Waker waker;

  TaskImpl(
      long id,
      @Nullable String name,
      Runtime runtime,
      RegionImpl region,
      Budget budget,
      TaskBody<T> body,
      boolean finalizer) {
    this.id = id;
    this.givenName = name;
    this.runtime = runtime;
    this.region = region;
    this.budget = budget;
    this.body = body;
    this.finalizer = finalizer;
    this.maskDepth = finalizer ? 1 : 0;
  }

  void start() {
    Thread t = runtime.threadFactory.newThread(this::runBody);
    if (t == null) {
      throw new IllegalStateException("thread factory refused to create a thread for task " + id);
    }
    thread = t;
    runtime.scheduler.taskCreated(this);
    t.start();
  }

  private void runBody() {
    runtime.scheduler.taskStarting(this);
    Cx cx = new Cx(this, region, budget, 0, 0);
    Outcome<T> result = invoke(cx, body);
    result = settleObligations(result, null);
    complete(result);
    runtime.scheduler.taskExited(this);
  }

  /** Runs a body, classifying how it ended. */
  static <R> Outcome<R> invoke(Cx cx, TaskBody<R> body) {
    try {
      return Outcome.ok(body.run(cx));
    } catch (CancelledException e) {
      CancelReason current = cx.effectiveReason();
      return Outcome.cancelled(current != null ? current : e.reason());
    } catch (RuntimeException | Error e) {
      return Outcome.panicked(e);
    } catch (Exception e) {
      return Outcome.err(e);
    }
  }

  private void complete(Outcome<T> result) {
    runtime.countOutcome(this, result);
    // A root region exists only for its task: closed before the task is seen done, so that whoever saw
    // the handle complete reads counters and snapshots without it.
    boolean root = region.parent == null;
    if (root) {
      runtime.traceCompleted(this, result);
      region.taskCompleted(this, result);
    }
    outcome = result;
    state = TaskState.COMPLETED;
    Waiter w = (Waiter) JOINERS.getAndSet(this, DONE);
    for (; w != null && w != DONE; w = w.next) {
      w.wake(runtime);
    }
    if (!root) {
      runtime.traceCompleted(this, result);
      region.taskCompleted(this, result);
    }
    runtime.taskCompleted(this);
  }

  // ---- cancellation

  @Nullable CancelReason cancelReason() {
    return cancelReason;
  }

  /** Records {@code reason} if it is stronger than the current one; wakes the task and its scopes. */
  boolean requestCancel(CancelReason reason, boolean traced) {
    CancelReason current;
    do {
      current = cancelReason;
      if (!reason.isStrongerThan(current)) {
        return false;
      }
    } while (!CANCEL.compareAndSet(this, current, reason));
    if (state == TaskState.RUNNING) {
      state = TaskState.CANCEL_REQUESTED;
    }
    if (traced || runtime.verboseTrace) {
      runtime.trace(
          TraceKind.CANCEL_REQUESTED,
          id,
          region.id,
          0,
          Map.of("kind", reason.kind().name(), "message", reason.message()));
    }
    RegionImpl[] scopes = openScopes;
    if (scopes.length > 0) {
      CancelReason inherited = runtime.parentCancelled(region.id, reason);
      for (RegionImpl scope : scopes) {
        scope.requestCancel(inherited);
      }
    }
    runtime.scheduler.wake(this);
    return true;
  }

  void acknowledgeCancel(CancelReason reason) {
    if (state == TaskState.CANCEL_REQUESTED) {
      state = TaskState.CANCELLING;
      runtime.trace(
          TraceKind.CANCEL_ACKNOWLEDGED, id, region.id, 0, Map.of("kind", reason.kind().name()));
    }
  }

  void pushScope(RegionImpl scope) {
    RegionImpl[] current = openScopes;
    RegionImpl[] next = java.util.Arrays.copyOf(current, current.length + 1);
    next[current.length] = scope;
    openScopes = next;
    CancelReason reason = cancelReason;
    if (reason != null) {
      scope.requestCancel(runtime.parentCancelled(region.id, reason));
    }
  }

  void popScope(RegionImpl scope) {
    RegionImpl[] current = openScopes;
    int n = current.length;
    if (n > 0 && current[n - 1] == scope) {
      openScopes = java.util.Arrays.copyOf(current, n - 1);
    }
  }

  // ---- obligations (bag touched only by this task's thread)

  void hold(ObligationImpl o) {
    if (heldCount == held.length) {
      compactHeld();
      if (heldCount == held.length) {
        held = java.util.Arrays.copyOf(held, Math.max(4, held.length * 2));
      }
    }
    o.slot = heldCount;
    held[heldCount++] = o;
  }

  /** Drops a settled obligation from the bag when called on the holder's own thread. */
  void forget(ObligationImpl o) {
    if (Thread.currentThread() != thread) {
      return; // settled elsewhere: the bag is compacted lazily by the holder
    }
    int i = o.slot;
    if (i >= 0 && i < heldCount && held[i] == o) {
      ObligationImpl last = Objects.requireNonNull(held[--heldCount]);
      held[i] = last;
      last.slot = i;
      held[heldCount] = null;
      o.slot = -1;
    }
  }

  private void compactHeld() {
    int kept = 0;
    for (int i = 0; i < heldCount; i++) {
      ObligationImpl o = Objects.requireNonNull(held[i]);
      if (o.state() == ObligationState.RESERVED) {
        o.slot = kept;
        held[kept++] = o;
      }
    }
    java.util.Arrays.fill(held, kept, heldCount, null);
    heldCount = kept;
  }

  /**
   * Applies the leak response to obligations still reserved by this task (only those reserved in
   * {@code frame} when given) and returns the outcome as the response leaves it.
   */
  <R> Outcome<R> settleObligations(Outcome<R> result, @Nullable RegionImpl frame) {
    List<ObligationImpl> leaked = null;
    for (int i = 0; i < heldCount; i++) {
      ObligationImpl o = Objects.requireNonNull(held[i]);
      if (o.state() == ObligationState.RESERVED && (frame == null || o.region == frame)) {
        if (leaked == null) {
          leaked = new ArrayList<>();
        }
        leaked.add(o);
      }
    }
    if (leaked == null) {
      return result;
    }
    compactHeld();
    return runtime.handleLeaks(this, leaked, result);
  }

  /** Racy copy of the reserved obligations, for snapshots from other threads. */
  List<RuntimeSnapshot.ObligationInfo> reservedObligations() {
    @Nullable ObligationImpl[] bag = held;
    List<RuntimeSnapshot.ObligationInfo> out = new ArrayList<>();
    for (ObligationImpl o : bag) {
      if (o != null && o.state() == ObligationState.RESERVED) {
        out.add(o.info());
      }
    }
    return out;
  }

  Waker waker() {
    Waker w = waker;
    if (w == null) {
      w = new Waker(this);
      waker = w;
    }
    return w;
  }

  RandomGenerator random() {
    RandomGenerator r = random;
    if (r == null) {
      r = new java.util.SplittableRandom(Runtime.mix64(runtime.seed ^ Runtime.mix64(id)));
      random = r;
    }
    return r;
  }

  // ---- waiting

  /** Registers the calling thread to be unparked on completion; false if already complete. */
  private boolean addJoiner(Waiter node) {
    while (true) {
      Waiter head = (Waiter) JOINERS.getVolatile(this);
      if (head == DONE) {
        return false;
      }
      node.next = head;
      if (JOINERS.compareAndSet(this, head, node)) {
        return true;
      }
    }
  }

  /**
   * Waits without a Cx (callers outside the runtime, a region closing its finalizers) until done, until
   * {@code deadline} passes, or until the calling thread is interrupted (the flag stays set). Returns
   * whether the task is done.
   */
  boolean awaitDone(@Nullable Instant deadline) {
    if (outcome != null || !addJoiner(new Waiter(Thread.currentThread(), null))) {
      return true;
    }
    while (outcome == null) {
      if (Thread.currentThread().isInterrupted()
          || !Runtime.parkUntil(runtime.clock, deadline, this)) {
        return outcome != null;
      }
    }
    return true;
  }

  /** Waits, as task {@code waiter}, until done or until {@code deadline}; returns whether done. */
  boolean awaitDoneAs(TaskImpl<?> waiter, Instant deadline) {
    if (outcome != null || !addJoiner(new Waiter(null, waiter))) {
      return true;
    }
    while (outcome == null) {
      if (!runtime.scheduler.park(waiter, deadline, this)) {
        return outcome != null;
      }
    }
    return true;
  }

  @Override
  public Outcome<T> join(Cx cx) {
    Outcome<T> o = outcome;
    if (o != null) {
      return o;
    }
    addJoiner(new Waiter(null, cx.task));
    while ((o = outcome) == null) {
      cx.checkpoint();
      if ((o = outcome) != null) {
        return o;
      }
      cx.park(null);
    }
    return o;
  }

  // ---- TaskHandle

  @Override
  public long id() {
    return id;
  }

  @Override
  public String name() {
    return givenName != null ? givenName : "task-" + id;
  }

  @Override
  public void cancel(CancelReason reason) {
    requestCancel(reason, true);
  }

  @Override
  public boolean isDone() {
    return outcome != null;
  }

  @Override
  public Optional<Outcome<T>> outcome() {
    return Optional.ofNullable(outcome);
  }

  @Nullable Outcome<T> outcomeOrNull() {
    return outcome;
  }

  RuntimeSnapshot.TaskInfo info() {
    return new RuntimeSnapshot.TaskInfo(id, name(), region.id, state, budget, cancelReason, straggler);
  }

  /**
   * Equality stays identity; the hash is the mixed id instead of the identity hash, which the JVM must
   * generate and install in the object header the first time a new task enters a hash set.
   */
  @Override
  public int hashCode() {
    return Long.hashCode(Runtime.mix64(id));
  }

  @Override
  public String toString() {
    return "Task[" + id + " " + name() + " " + state + "]";
  }

  /** A joiner: a task (woken through the scheduler) or a thread outside the runtime. */
  static final class Waiter {
    private final @Nullable Thread thread;
    private final @Nullable TaskImpl<?> task;
    @Nullable Waiter next;

    Waiter(@Nullable Thread thread, @Nullable TaskImpl<?> task) {
      this.thread = thread;
      this.task = task;
    }

    void wake(Runtime runtime) {
      if (task != null) {
        runtime.scheduler.wake(task);
      } else {
        LockSupport.unpark(thread);
      }
    }
  }

  // ---- SchedulableTask

  @Override
  public @Nullable Thread thread() {
    return thread;
  }

  @Override
  public boolean holdsReservedObligations() {
    @Nullable ObligationImpl[] bag = held;
    for (ObligationImpl o : bag) {
      if (o != null && o.state() == ObligationState.RESERVED) {
        return true;
      }
    }
    return false;
  }

  @Override
  public long regionId() {
    return region.id;
  }

  @Override
  public void injectCancel(CancelKind kind, String message) {
    requestCancel(new CancelReason(kind, region.id, id, runtime.clock.now(), message, null), true);
  }
}
