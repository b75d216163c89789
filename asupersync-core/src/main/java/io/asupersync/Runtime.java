package io.asupersync;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import io.asupersync.internal.RuntimeAccess;
import io.asupersync.internal.StripedSet;
import io.asupersync.internal.TaskScheduler;
import io.asupersync.trace.TraceBuffer;
import io.asupersync.trace.TraceKind;
import io.asupersync.trace.TraceSink;
import org.jspecify.annotations.Nullable;

/**
 * The entry point: owns root regions, the clock, the seeded random source, the trace buffer and the
 * leak policy. Tasks run on virtual threads by default.
 *
 * <pre>{@code
 * try (Runtime runtime = Runtime.builder().build()) {
 *   Outcome<Integer> outcome = runtime.run(cx -> {
 *     TaskHandle<Integer> a = cx.spawn(c -> 20);
 *     TaskHandle<Integer> b = cx.spawn(c -> 22);
 *     return a.join(cx).orThrow() + b.join(cx).orThrow();
 *   });
 * }
 * }</pre>
 *
 * <p>{@link #close()} is bounded: it cancels everything with {@link CancelKind#SHUTDOWN}, waits at
 * most the shutdown timeout, and reports what did not finish instead of hanging.
 */
public final class Runtime implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger("io.asupersync.Runtime");
  private static final int LEAK_HISTORY = 256;
  private static final Map<String, String> ROOT_PARENT = Map.of("parent", "0");

  final Clock clock;
  final ThreadFactory threadFactory;
  final TaskScheduler scheduler;
  private final LeakResponse leakResponse;
  private final long leakEscalationThreshold;
  private final Budget defaultBudget;
  private final Duration shutdownTimeout;
  final Duration finalizerBudget;
  private final EnumMap<CancelKind, Duration> cleanupBudgets;
  final long seed;
  private final TraceBuffer trace;
  /** Runtime-scoped state of core packages, keyed by type (see RuntimeAccess#attachment). */
  final ConcurrentHashMap<Class<?>, Object> attachments = new ConcurrentHashMap<>();

  private final AtomicLong taskIds = new AtomicLong();
  private final AtomicLong regionIds = new AtomicLong();
  private final AtomicLong obligationIds = new AtomicLong();
  private final StripedSet<RegionImpl> roots = new StripedSet<>();
  private final Set<TaskImpl<?>> stragglers = ConcurrentHashMap.newKeySet();
  private final ArrayDeque<RuntimeSnapshot.LeakInfo> leaks = new ArrayDeque<>();
  /** Task, region and obligation totals, counted in the stripe of the region they belong to. */
  final StripedCounters counters = new StripedCounters();
  private final AtomicLong leaked = new AtomicLong();
  private final boolean traceObligations;
  /** Whether task and region lifecycle events are recorded; see {@link Builder#traceLifecycle}. */
  final boolean traceLifecycle;
  /** Traces every task-level cancel request and spawn budgets (the lab's oracles read them). */
  final boolean verboseTrace;

  private volatile boolean shuttingDown;
  private volatile @Nullable Thread shutdownWaiter;
  private volatile @Nullable ShutdownReport shutdownReport;

  private Runtime(Builder b) {
    this.clock = b.clock;
    this.threadFactory = b.threadFactory;
    this.scheduler = b.schedulerFactory.apply(b.clock);
    this.leakResponse = b.leakResponse;
    this.leakEscalationThreshold = b.leakEscalationThreshold;
    this.defaultBudget = b.defaultBudget;
    this.shutdownTimeout = b.shutdownTimeout;
    this.finalizerBudget = b.finalizerBudget;
    this.cleanupBudgets = new EnumMap<>(b.cleanupBudgets);
    this.seed = b.seed;
    this.traceObligations = b.traceObligations;
    this.traceLifecycle = b.traceLifecycle;
    this.verboseTrace = b.verboseTrace;
    this.trace = new TraceBuffer(b.traceCapacity, clock::now, b.traceSink);
    trace(TraceKind.RUNTIME_STARTED, 0, 0, 0, Map.of("seed", Long.toString(seed)));
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs {@code body} as a root task in a fresh fail-fast scope with the default budget and waits for
   * the scope to close. If the calling thread is interrupted meanwhile, the root task is cancelled
   * ({@link CancelKind#USER}) and the interrupt is restored once it finished.
   */
  public <T> Outcome<T> run(TaskBody<T> body) {
    TaskImpl<Outcome<T>> root = spawnRoot("main", cx -> cx.scope(body));
    boolean interrupted = false;
    while (!root.awaitDone(null)) {
      Thread.interrupted();
      if (!interrupted) {
        interrupted = true;
        root.cancel(CancelReason.of(CancelKind.USER, "caller of Runtime.run was interrupted"));
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Outcome<Outcome<T>> o = Objects.requireNonNull(root.outcomeOrNull());
    if (o instanceof Outcome.Ok<Outcome<T>> ok && ok.value() != null) {
      return ok.value();
    }
    @SuppressWarnings("unchecked")
    Outcome<T> other = (Outcome<T>) (Outcome<?>) o;
    return other;
  }

  /**
   * Starts {@code body} as a long-lived root task (a server loop, a consumer) in its own fail-fast
   * scope; shutdown cancels it.
   *
   * @throws RegionClosedException if the runtime is shutting down
   */
  public <T> TaskHandle<Outcome<T>> spawn(String name, TaskBody<T> body) {
    return spawn(name, RegionPolicy.FAIL_FAST, Budget.unlimited(), body);
  }

  /**
   * Starts {@code body} as a root task in its own scope with {@code policy} and the default budget met
   * with {@code budget}: exactly what {@link Cx#scope(RegionPolicy, Budget, TaskBody)} does in a task,
   * without a scope in between. The handle completes once the scope closed (children drained,
   * finalizers ran) with the scope's outcome; shutdown cancels it.
   *
   * @throws RegionClosedException if the runtime is shutting down
   */
  public <T> TaskHandle<Outcome<T>> spawn(String name, RegionPolicy policy, Budget budget, TaskBody<T> body) {
    return spawn(name, policy, budget, body, outcome -> {});
  }

  /**
   * {@link #spawn(String, RegionPolicy, Budget, TaskBody)}, then {@code whenClosed} with the scope's
   * outcome on the task's thread once the scope closed, before the handle completes: for a caller that
   * must act on every outcome (answer a request) without a task of its own to join from. What {@code
   * whenClosed} throws ends the task panicked.
   *
   * @throws RegionClosedException if the runtime is shutting down
   */
  public <T> TaskHandle<Outcome<T>> spawn(
      String name, RegionPolicy policy, Budget budget, TaskBody<T> body, Consumer<? super Outcome<T>> whenClosed) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(budget, "budget");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(whenClosed, "whenClosed");
    return spawnRoot(
        name,
        cx -> {
          Outcome<T> outcome = cx.scope(policy, budget, body);
          whenClosed.accept(outcome);
          return outcome;
        });
  }

  private <T> TaskImpl<T> spawnRoot(String name, TaskBody<T> body) {
    if (shuttingDown) {
      throw new RegionClosedException("runtime is shutting down");
    }
    RegionImpl region = new RegionImpl(nextRegionId(), this, null, null, RegionPolicy.FAIL_FAST, defaultBudget);
    region.rootHandle = roots.add(region);
    counters.add(region.stripe, StripedCounters.REGIONS_OPEN, 1);
    if (traceLifecycle) {
      trace(TraceKind.REGION_OPENED, 0, region.id, 0, ROOT_PARENT);
    }
    return region.spawn(name, defaultBudget, body);
  }

  /** A consistent-per-region view of everything live. */
  public RuntimeSnapshot snapshot() {
    List<RuntimeSnapshot.RegionInfo> regions = new ArrayList<>();
    List<TaskImpl<?>> live = new ArrayList<>();
    ArrayDeque<RegionImpl> queue = new ArrayDeque<>(roots.toList());
    List<RegionImpl> ordered = new ArrayList<>(queue);
    ordered.sort(Comparator.comparingLong(r -> r.id));
    queue.clear();
    queue.addAll(ordered);
    while (!queue.isEmpty()) {
      RegionImpl r = queue.poll();
      regions.add(r.info(live));
      List<RegionImpl> kids = r.childrenCopy();
      kids.sort(Comparator.comparingLong(k -> k.id));
      queue.addAll(kids);
    }
    for (TaskImpl<?> s : stragglers) {
      if (!live.contains(s)) {
        live.add(s);
      }
    }
    live.sort(Comparator.comparingLong(t -> t.id));
    List<RuntimeSnapshot.TaskInfo> tasks = new ArrayList<>();
    List<RuntimeSnapshot.ObligationInfo> obligations = new ArrayList<>();
    for (TaskImpl<?> t : live) {
      if (!t.isDone()) {
        tasks.add(t.info());
        obligations.addAll(t.reservedObligations());
      }
    }
    List<RuntimeSnapshot.LeakInfo> leakCopy;
    synchronized (leaks) {
      leakCopy = new ArrayList<>(leaks);
    }
    return new RuntimeSnapshot(clock.now(), regions, tasks, obligations, leakCopy, counters());
  }

  /**
   * Totals since the runtime started, without walking the region tree: cheap enough for a metrics
   * scrape. The values are read one after another, not atomically together.
   */
  public RuntimeSnapshot.Counters counters() {
    EnumMap<CancelKind, Long> byKind = new EnumMap<>(CancelKind.class);
    for (CancelKind kind : CancelKind.values()) {
      byKind.put(kind, counters.sum(StripedCounters.CANCELLED_BY_KIND + kind.ordinal()));
    }
    return new RuntimeSnapshot.Counters(
        counters.sum(StripedCounters.SPAWNED),
        counters.sum(StripedCounters.COMPLETED),
        counters.sum(StripedCounters.CANCELLED),
        counters.sum(StripedCounters.FAILED),
        counters.sum(StripedCounters.PANICKED),
        counters.sum(StripedCounters.ACTIVE),
        leaked.get(),
        stragglers.size(),
        byKind,
        Math.max(0, counters.sum(StripedCounters.REGIONS_OPEN)),
        Math.max(0, counters.sum(StripedCounters.OBLIGATIONS_RESERVED)));
  }

  /** The recent structured trace events. */
  public TraceBuffer trace() {
    return trace;
  }

  public Clock clock() {
    return clock;
  }

  /** The seed of this runtime's random sources. */
  public long seed() {
    return seed;
  }

  /**
   * Cancels every root region with {@link CancelKind#SHUTDOWN} and waits for every task to finish,
   * at most the shutdown timeout. Past it, emits a {@link TraceKind#SHUTDOWN_INCOMPLETE} event and a
   * warning naming the tasks and regions still alive, and returns. Idempotent.
   */
  public ShutdownReport shutdown() {
    synchronized (this) {
      ShutdownReport done = shutdownReport;
      if (done != null) {
        return done;
      }
      shuttingDown = true;
      Instant start = clock.now();
      trace(TraceKind.RUNTIME_SHUTDOWN, 0, 0, 0, Map.of("timeout", shutdownTimeout.toString()));
      CancelReason reason = new CancelReason(CancelKind.SHUTDOWN, 0, 0, start, "runtime shutting down", null);
      List<RegionImpl> rootsById = roots.toList();
      rootsById.sort(Comparator.comparingLong(r -> r.id));
      for (RegionImpl root : rootsById) {
        root.requestCancel(reason);
      }
      Instant deadline = start.plus(shutdownTimeout);
      shutdownWaiter = Thread.currentThread();
      // A stripe's count stays positive while its trees have live tasks, and work only moves to another
      // stripe through a new root, which shuttingDown now refuses: a sum of zero means every task
      // finished. (A root that passed the check just before is the race the roots copy above has too.)
      while (counters.sum(StripedCounters.ACTIVE) > 0 && clock.now().isBefore(deadline)) {
        parkUntil(clock, deadline, this);
        Thread.interrupted(); // an interrupt must not turn this bounded wait into a spin
      }
      shutdownWaiter = null;
      Duration took = Duration.between(start, clock.now());
      ShutdownReport report;
      if (counters.sum(StripedCounters.ACTIVE) == 0) {
        report = new ShutdownReport(true, took, List.of(), List.of());
      } else {
        RuntimeSnapshot snap = snapshot();
        report = new ShutdownReport(false, took, snap.tasks(), snap.regions());
        String names =
            snap.tasks().stream().map(t -> t.id() + ":" + t.name()).collect(Collectors.joining(","));
        String regionIdsLeft =
            snap.regions().stream().map(r -> Long.toString(r.id())).collect(Collectors.joining(","));
        trace(
            TraceKind.SHUTDOWN_INCOMPLETE,
            0,
            0,
            0,
            Map.of("tasks", names, "regions", regionIdsLeft, "timeout", shutdownTimeout.toString()));
        log(
            System.Logger.Level.WARNING,
            "runtime shutdown timed out after " + shutdownTimeout + "; still running: " + names);
      }
      shutdownReport = report;
      return report;
    }
  }

  /** {@link #shutdown()}, discarding the report (it is traced and logged when incomplete). */
  @Override
  public void close() {
    shutdown();
  }

  public boolean isShutdown() {
    return shuttingDown;
  }

  // ---- engine callbacks

  long nextTaskId() {
    return taskIds.incrementAndGet();
  }

  long nextRegionId() {
    return regionIds.incrementAndGet();
  }

  long nextObligationId() {
    return obligationIds.incrementAndGet();
  }

  Duration cleanupBudget(CancelKind kind) {
    return Objects.requireNonNull(cleanupBudgets.get(kind));
  }

  CancelReason parentCancelled(long regionId, CancelReason cause) {
    return new CancelReason(
        CancelKind.PARENT_CANCELLED, regionId, 0, clock.now(), "parent cancelled: " + cause.kind(), cause);
  }

  void trace(TraceKind kind, long taskId, long regionId, long obligationId, Map<String, String> attrs) {
    trace.record(kind, taskId, regionId, obligationId, attrs);
  }

  void log(System.Logger.Level level, String message) {
    LOG.log(level, message);
  }

  void taskSpawned(TaskImpl<?> task) {
    int stripe = task.region.stripe;
    counters.add(stripe, StripedCounters.ACTIVE, 1);
    counters.add(stripe, StripedCounters.SPAWNED, 1);
    if (!traceLifecycle) {
      return;
    }
    if (verboseTrace) {
      trace(
          TraceKind.TASK_SPAWNED,
          task.id,
          task.region.id,
          0,
          Map.of(
              "name", task.name(),
              "deadline", String.valueOf(task.budget.deadline()),
              "regionDeadline", String.valueOf(task.region.budget.deadline())));
    } else {
      trace(TraceKind.TASK_SPAWNED, task.id, task.region.id, 0, Map.of());
    }
  }

  /**
   * Counts a task's outcome. Called before its joiners wake and its region hears of it, so that whoever
   * saw the task end (a join, a closed scope) reads counters that include it.
   */
  void countOutcome(TaskImpl<?> task, Outcome<?> outcome) {
    int stripe = task.region.stripe;
    counters.add(stripe, StripedCounters.COMPLETED, 1);
    switch (outcome) {
      case Outcome.Ok<?> ok -> {}
      case Outcome.Err<?> err -> counters.add(stripe, StripedCounters.FAILED, 1);
      case Outcome.Cancelled<?> c -> {
        counters.add(stripe, StripedCounters.CANCELLED, 1);
        counters.add(stripe, StripedCounters.CANCELLED_BY_KIND + c.reason().kind().ordinal(), 1);
      }
      case Outcome.Panicked<?> p -> counters.add(stripe, StripedCounters.PANICKED, 1);
    }
  }

  void taskCompleted(TaskImpl<?> task) {
    if (task.straggler) {
      stragglers.remove(task);
    }
    counters.add(task.region.stripe, StripedCounters.ACTIVE, -1);
    if (shuttingDown) {
      LockSupport.unpark(shutdownWaiter); // it sums the stripes again; a task cannot tell it was the last
    }
  }

  /** A root region's only task finished: the root region is closed. */
  void rootClosed(RegionImpl root) {
    root.state = RegionState.CLOSED;
    roots.remove(root, root.rootHandle);
    counters.add(root.stripe, StripedCounters.REGIONS_OPEN, -1);
    if (traceLifecycle) {
      trace(TraceKind.REGION_CLOSED, 0, root.id, 0, Map.of());
    }
  }

  void traceCompleted(TaskImpl<?> task, Outcome<?> outcome) {
    if (!traceLifecycle) {
      return;
    }
    if (verboseTrace && outcome instanceof Outcome.Panicked<?> p) {
      trace(
          TraceKind.TASK_COMPLETED,
          task.id,
          task.region.id,
          0,
          Map.of("outcome", "panicked", "cause", p.cause().getClass().getName(), "message", String.valueOf(p.cause().getMessage())));
    } else {
      trace(TraceKind.TASK_COMPLETED, task.id, task.region.id, 0, RegionImpl.outcomeAttribute(outcome));
    }
  }

  void markStraggler(TaskImpl<?> task) {
    task.straggler = true;
    if (!task.isDone()) {
      stragglers.add(task);
    }
  }

  void regionOpened(RegionImpl region) {
    counters.add(region.stripe, StripedCounters.REGIONS_OPEN, 1);
  }

  void regionClosed(RegionImpl region) {
    counters.add(region.stripe, StripedCounters.REGIONS_OPEN, -1);
  }

  void obligationReserved(ObligationImpl o) {
    counters.add(o.region.stripe, StripedCounters.OBLIGATIONS_RESERVED, 1);
    if (traceObligations) {
      trace(TraceKind.OBLIGATION_RESERVED, o.holder.id, o.region.id, o.id, Map.of("kind", o.kind.name()));
    }
  }

  void obligationSettled(ObligationImpl o, ObligationState state) {
    counters.add(o.region.stripe, StripedCounters.OBLIGATIONS_RESERVED, -1);
    if (traceObligations) {
      trace(
          state == ObligationState.COMMITTED ? TraceKind.OBLIGATION_COMMITTED : TraceKind.OBLIGATION_ABORTED,
          o.holder.id,
          o.region.id,
          o.id,
          Map.of());
    }
  }

  <R> Outcome<R> handleLeaks(TaskImpl<?> task, List<ObligationImpl> leakedNow, Outcome<R> result) {
    boolean panic = false;
    List<RuntimeSnapshot.ObligationInfo> infos = new ArrayList<>();
    for (ObligationImpl o : leakedNow) {
      long total = leaked.incrementAndGet();
      LeakResponse response = total > leakEscalationThreshold ? LeakResponse.PANIC : leakResponse;
      ObligationState terminal =
          response == LeakResponse.RECOVER ? ObligationState.ABORTED : ObligationState.LEAKED;
      if (!o.resolveByRuntime(terminal)) {
        leaked.decrementAndGet(); // settled concurrently by another thread: not a leak after all
        continue;
      }
      counters.add(o.region.stripe, StripedCounters.OBLIGATIONS_RESERVED, -1);
      RuntimeSnapshot.ObligationInfo info = o.info();
      infos.add(info);
      synchronized (leaks) {
        if (leaks.size() == LEAK_HISTORY) {
          leaks.removeFirst();
        }
        leaks.addLast(new RuntimeSnapshot.LeakInfo(info, clock.now(), response));
      }
      trace(
          TraceKind.OBLIGATION_LEAKED,
          task.id,
          o.region.id,
          o.id,
          Map.of("kind", o.kind.name(), "description", o.description, "response", response.name()));
      switch (response) {
        case PANIC -> panic = true;
        case LOG -> log(System.Logger.Level.WARNING, "task " + task.name() + " leaked " + o);
        case RECOVER -> log(System.Logger.Level.WARNING, "task " + task.name() + " leaked " + o + "; aborted it");
        case SILENT -> {}
      }
    }
    if (!panic) {
      return result;
    }
    ObligationLeakException leak =
        new ObligationLeakException("task " + task.name() + " ended holding reserved obligations " + infos, infos);
    if (result instanceof Outcome.Panicked<R> p) {
      p.cause().addSuppressed(leak);
      return result;
    }
    return Outcome.panicked(leak);
  }

  /**
   * Parks the calling thread until unparked or until {@code deadline} (forever when null). Returns
   * false when the deadline has passed.
   */
  static boolean parkUntil(Clock clock, @Nullable Instant deadline, Object blocker) {
    if (deadline == null) {
      LockSupport.park(blocker);
      return true;
    }
    long nanos = Duration.between(clock.now(), deadline).toNanos();
    if (nanos <= 0) {
      return false;
    }
    LockSupport.parkNanos(blocker, nanos);
    return true;
  }

  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** Configures a {@link Runtime}. Every setting has the documented default. */
  public static final class Builder {
    private Clock clock = Clock.system();
    // One name for all: a numbered name cost a string built per task; a thread dump tells them apart by id.
    private ThreadFactory threadFactory = Thread.ofVirtual().name("asupersync").factory();
    private LeakResponse leakResponse = LeakResponse.LOG;
    private long leakEscalationThreshold = Long.MAX_VALUE;
    private int traceCapacity = 4096;
    private TraceSink traceSink = TraceSink.discard();
    private Budget defaultBudget = Budget.unlimited();
    private Duration shutdownTimeout = Duration.ofSeconds(30);
    private Duration finalizerBudget = Duration.ofSeconds(5);
    private final EnumMap<CancelKind, Duration> cleanupBudgets = new EnumMap<>(CancelKind.class);
    private long seed = System.nanoTime();
    private boolean traceObligations = true;
    private boolean traceLifecycle = true;
    private Function<Clock, TaskScheduler> schedulerFactory = ThreadScheduler::new;
    private boolean verboseTrace;

    static {
      RuntimeAccess.register(
          (builder, factory) -> {
            builder.schedulerFactory = factory;
            builder.verboseTrace = true;
            builder.traceLifecycle = true;
          });
    }

    private Builder() {
      for (CancelKind kind : CancelKind.values()) {
        cleanupBudgets.put(kind, Duration.ofSeconds(5));
      }
    }

    /** Clock for deadlines, sleeps and trace timestamps; default {@link Clock#system()}. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value);
      return this;
    }

    /** Creates the thread of each task; default: virtual threads named {@code asupersync}. */
    public Builder threadFactory(ThreadFactory value) {
      this.threadFactory = Objects.requireNonNull(value);
      return this;
    }

    /** What to do when a task ends holding a reserved obligation; default {@link LeakResponse#LOG}. */
    public Builder leakResponse(LeakResponse value) {
      this.leakResponse = Objects.requireNonNull(value);
      return this;
    }

    /**
     * After this many leaks in the runtime, every further leak is handled as {@link
     * LeakResponse#PANIC} whatever the configured response; default: never.
     */
    public Builder leakEscalationThreshold(long leaks) {
      if (leaks < 0) {
        throw new IllegalArgumentException("leak escalation threshold must not be negative");
      }
      this.leakEscalationThreshold = leaks;
      return this;
    }

    /** How many recent trace events the ring keeps; default 4096. */
    public Builder traceCapacity(int events) {
      if (events < 1) {
        throw new IllegalArgumentException("trace capacity must be at least 1, was " + events);
      }
      this.traceCapacity = events;
      return this;
    }

    /** Exporter that receives every trace event; default: none. */
    public Builder traceSink(TraceSink value) {
      this.traceSink = Objects.requireNonNull(value);
      return this;
    }

    /** Whether obligation reserve/commit/abort are traced (leaks always are); default true. */
    public Builder traceObligations(boolean value) {
      this.traceObligations = value;
      return this;
    }

    /**
     * Whether task and region lifecycle events ({@code TASK_SPAWNED}, {@code TASK_COMPLETED}, {@code
     * REGION_OPENED}, {@code REGION_CLOSED}) are recorded; default true. A busy server records several
     * per request: they push protocol, limit, cancellation and leak events out of the ring within
     * moments, and every event is a write to the chain's shared tail. Off, those events remain (with
     * the request's access event naming its task and region), counters and snapshots are unchanged.
     * The lab runtime always records them: its trace fingerprints are built from them.
     */
    public Builder traceLifecycle(boolean value) {
      this.traceLifecycle = value;
      return this;
    }

    /** Budget of root tasks; default unlimited. */
    public Builder defaultBudget(Budget value) {
      this.defaultBudget = Objects.requireNonNull(value);
      return this;
    }

    /** How long {@link Runtime#close()} waits for tasks to finish; default 30 s. */
    public Builder shutdownTimeout(Duration value) {
      this.shutdownTimeout = positive(value, "shutdown timeout");
      return this;
    }

    /** How long each finalizer may run before it is reported and left behind; default 5 s. */
    public Builder finalizerBudget(Duration value) {
      this.finalizerBudget = positive(value, "finalizer budget");
      return this;
    }

    /**
     * How long a region cancelled for {@code kind} waits for its tasks before leaving them behind as
     * stragglers; default 5 s for every kind.
     */
    public Builder cleanupBudget(CancelKind kind, Duration value) {
      cleanupBudgets.put(Objects.requireNonNull(kind), positive(value, "cleanup budget"));
      return this;
    }

    /** Seed of every task's random source; default: from the system clock. */
    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    public Runtime build() {
      return new Runtime(this);
    }

    private static Duration positive(Duration value, String what) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, was " + value);
      }
      return value;
    }
  }
}
