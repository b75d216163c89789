package io.asupersync.lab;

import io.asupersync.CancelKind;
import io.asupersync.internal.SchedulableTask;
import io.asupersync.internal.TaskScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * One task at a time: the task holding the baton runs until its next yield point, where the strategy
 * picks who runs next. Time is virtual and jumps only when every live task waits on time.
 */
final class LabScheduler implements TaskScheduler {

  private enum State {
    RUNNABLE,
    RUNNING,
    BLOCKED,
    DONE
  }

  private static final class Slot {
    final SchedulableTask task;
    State state = State.RUNNABLE;
    boolean wakePending;
    /** Blocked by an injected delay, not by a park: a wake must wait for the park that follows. */
    boolean delayed;
    @Nullable Instant deadline;
    long lastScheduled;
    boolean futurelockReported;

    Slot(SchedulableTask task, long step) {
      this.task = task;
      this.lastScheduled = step;
    }
  }

  private enum Fault {
    CANCEL,
    DELAY,
    EXHAUST
  }

  private final LabConfig config;
  private final LabClock clock;
  private final SplittableRandom scheduleRandom;
  private final SplittableRandom faultRandom;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition ended = lock.newCondition();
  private final TreeMap<Long, Slot> slots = new TreeMap<>();
  /** Slots not yet done, in id order (ids grow with creation, and only one task creates at a time). */
  private final ArrayList<Slot> live = new ArrayList<>();
  private int liveCount;
  private final ArrayList<Slot> runnableScratch = new ArrayList<>();
  private final List<Long> choices = new ArrayList<>();
  private final List<Violation> violations = new ArrayList<>();
  private final Map<Long, Integer> priorities = new HashMap<>();
  private final long[] changePoints;
  private int changePointsUsed;

  private volatile long running;
  private volatile boolean aborted;
  private boolean cancelledEverything;
  private boolean started;
  private boolean finished;
  private long steps;
  private long divergedAt = -1;
  private @Nullable Thread watchdog;

  LabScheduler(LabConfig config, LabClock clock) {
    this.config = config;
    this.clock = clock;
    this.scheduleRandom = new SplittableRandom(config.seed());
    this.faultRandom = new SplittableRandom(config.seed() ^ 0x632be59bd9b4e019L);
    long[] points = new long[Math.max(0, config.pctDepth() - 1)];
    for (int i = 0; i < points.length; i++) {
      points[i] = 1 + scheduleRandom.nextLong(config.pctExpectedSteps());
    }
    Arrays.sort(points);
    this.changePoints = points;
  }

  // ---- TaskScheduler

  @Override
  public void taskCreated(SchedulableTask task) {
    lock.lock();
    try {
      Slot slot = new Slot(task, steps);
      slots.put(task.id(), slot);
      live.add(slot);
      liveCount++;
      priorities.put(task.id(), config.pctDepth() + scheduleRandom.nextInt(1_000_000));
      if (!started) {
        started = true;
        startWatchdog();
      }
      if (running == 0 && !aborted) {
        scheduleNext(null);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void taskStarting(SchedulableTask task) {
    awaitBaton(task);
  }

  @Override
  public void taskExited(SchedulableTask task) {
    lock.lock();
    try {
      Slot slot = slots.get(task.id());
      if (slot != null && slot.state != State.DONE) {
        slot.state = State.DONE;
        liveCount--;
      }
      if (running == task.id() && !aborted) {
        running = 0;
        scheduleNext(null);
      }
      signalIfFinished();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void yieldPoint(SchedulableTask task) {
    Fault fault;
    lock.lock();
    try {
      checkAborted();
      Slot slot = slotOf(task);
      steps++;
      fault = pickFault();
      if (fault == Fault.DELAY) {
        slot.state = State.BLOCKED;
        slot.delayed = true;
        slot.deadline = clock.now().plusMillis(1 + faultRandom.nextInt(20));
      } else {
        slot.state = State.RUNNABLE;
      }
      scheduleNext(slot);
    } finally {
      lock.unlock();
    }
    awaitBaton(task);
    if (fault == Fault.CANCEL) {
      task.injectCancel(CancelKind.USER, "lab fault: cancel requested");
    } else if (fault == Fault.EXHAUST) {
      task.injectCancel(CancelKind.POLL_QUOTA, "lab fault: budget exhausted");
    }
  }

  @Override
  public boolean park(SchedulableTask task, @Nullable Instant deadline, Object blocker) {
    lock.lock();
    try {
      checkAborted();
      Slot slot = slotOf(task);
      steps++;
      if (slot.wakePending) {
        slot.wakePending = false;
        slot.state = State.RUNNABLE;
      } else if (deadline != null && !clock.now().isBefore(deadline)) {
        slot.state = State.RUNNABLE;
      } else {
        slot.state = State.BLOCKED;
        slot.deadline = deadline;
      }
      scheduleNext(slot);
    } finally {
      lock.unlock();
    }
    awaitBaton(task);
    return deadline == null || clock.now().isBefore(deadline);
  }

  @Override
  public boolean isDeterministic() {
    return true;
  }

  @Override
  public void wake(SchedulableTask task) {
    lock.lock();
    try {
      Slot slot = slots.get(task.id());
      if (slot == null || slot.state == State.DONE) {
        return;
      }
      if (slot.state == State.BLOCKED && !slot.delayed) {
        slot.state = State.RUNNABLE;
        slot.deadline = null;
      } else {
        slot.wakePending = true;
      }
    } finally {
      lock.unlock();
    }
  }

  // ---- scheduling (lock held)

  private Slot slotOf(SchedulableTask task) {
    Slot slot = slots.get(task.id());
    if (slot == null) {
      throw new IllegalStateException("task " + task.id() + " is unknown to the lab scheduler");
    }
    return slot;
  }

  /** Picks and starts the next task; {@code current} is the caller's slot (already re-stated). */
  private void scheduleNext(@Nullable Slot current) {
    if (steps > config.maxSteps()) {
      stepLimitExceeded();
      if (aborted) {
        return;
      }
    }
    if ((steps & 255) == 0) {
      checkFuturelock();
    }
    List<Slot> runnable = runnable();
    if (runnable.isEmpty()) {
      runnable = advanceTime();
    }
    if (runnable.isEmpty()) {
      if (liveCount == 0) {
        running = 0;
        return;
      }
      runnable = resolveDeadlock();
      if (runnable.isEmpty()) {
        return;
      }
    }
    Slot next = choose(runnable);
    next.state = State.RUNNING;
    next.lastScheduled = steps;
    running = next.task.id();
    if (next != current) {
      LockSupport.unpark(next.task.thread());
    }
  }

  /** The runnable slots in id order; the returned list is reused by the next call. */
  private List<Slot> runnable() {
    ArrayList<Slot> out = runnableScratch;
    out.clear();
    boolean sawDone = false;
    for (int i = 0, n = live.size(); i < n; i++) {
      Slot s = live.get(i);
      if (s.state == State.RUNNABLE) {
        out.add(s);
      } else if (s.state == State.DONE) {
        sawDone = true;
      }
    }
    if (sawDone) {
      live.removeIf(s -> s.state == State.DONE);
    }
    return out;
  }

  private List<Slot> advanceTime() {
    Instant earliest = null;
    for (Slot s : live) {
      if (s.state == State.BLOCKED && s.deadline != null && (earliest == null || s.deadline.isBefore(earliest))) {
        earliest = s.deadline;
      }
    }
    if (earliest == null) {
      return List.of();
    }
    clock.advanceTo(earliest);
    Instant now = clock.now();
    for (Slot s : live) {
      if (s.state == State.BLOCKED && s.deadline != null && !s.deadline.isAfter(now)) {
        s.state = State.RUNNABLE;
        s.deadline = null;
        s.delayed = false;
      }
    }
    return runnable();
  }

  private Slot choose(List<Slot> runnable) {
    List<Long> replay = config.replay();
    Slot chosen = null;
    if (replay != null && divergedAt < 0) {
      int index = choices.size();
      if (index < replay.size()) {
        long wanted = replay.get(index);
        for (Slot s : runnable) {
          if (s.task.id() == wanted) {
            chosen = s;
          }
        }
      }
      if (chosen == null) {
        divergedAt = index;
        violations.add(
            new Violation(
                Oracle.REPLAY_DIVERGENCE,
                "step " + index + ": recorded choice "
                    + (index < replay.size() ? "task " + replay.get(index) : "(log ended)")
                    + " not runnable; runnable were " + ids(runnable),
                List.of()));
      }
    }
    if (chosen == null) {
      chosen = config.strategy() == Strategy.PCT ? highestPriority(runnable) : runnable.get(scheduleRandom.nextInt(runnable.size()));
    }
    choices.add(chosen.task.id());
    return chosen;
  }

  private Slot highestPriority(List<Slot> runnable) {
    if (changePointsUsed < changePoints.length && steps >= changePoints[changePointsUsed] && running != 0) {
      priorities.put(running, changePointsUsed);
      changePointsUsed++;
    }
    Slot best = runnable.get(0);
    for (Slot s : runnable) {
      if (priorities.getOrDefault(s.task.id(), 0) > priorities.getOrDefault(best.task.id(), 0)) {
        best = s;
      }
    }
    return best;
  }

  private @Nullable Fault pickFault() {
    double p = config.faults().probability();
    if (p == 0 || faultRandom.nextDouble() >= p) {
      return null;
    }
    int kind = faultRandom.nextInt(4);
    return kind < 2 ? Fault.CANCEL : kind == 2 ? Fault.DELAY : Fault.EXHAUST;
  }

  private List<Slot> resolveDeadlock() {
    List<Slot> blocked = live.stream().filter(s -> s.state != State.DONE).toList();
    StringBuilder waits = new StringBuilder();
    for (Slot s : blocked) {
      waits.append("\n      ").append(s.task.id()).append(':').append(s.task.name()).append(" waits in ").append(waitSite(s));
    }
    violations.add(
        new Violation(
            Oracle.DEADLOCK,
            "no runnable task and none waiting on time at step " + steps + "; blocked: " + names(blocked) + waits,
            ids(blocked)));
    return cancelEverythingOrAbort("deadlock");
  }

  private void stepLimitExceeded() {
    if (!cancelledEverything) {
      violations.add(
          new Violation(Oracle.STEP_LIMIT, "more than " + config.maxSteps() + " scheduling steps", List.of()));
      cancelEverythingOrAbort("step limit");
    } else if (steps > config.maxSteps() + config.maxSteps() / 10 + 10_000) {
      violations.add(
          new Violation(Oracle.STEP_LIMIT, "run aborted: it did not end after cancelling every task", List.of()));
      abort("step limit");
    }
  }

  /** First resort: cancel every live task and let them unwind; second: abort the run. */
  private List<Slot> cancelEverythingOrAbort(String why) {
    if (cancelledEverything) {
      violations.add(
          new Violation(Oracle.DEADLOCK, "run aborted: still stuck after cancelling every task (" + why + ")", List.of()));
      abort(why);
      return List.of();
    }
    cancelledEverything = true;
    for (Slot s : new ArrayList<>(live)) {
      if (s.state != State.DONE) {
        s.task.injectCancel(CancelKind.SHUTDOWN, "lab: " + why + ", cancelling every task");
      }
    }
    return runnable();
  }

  private void checkFuturelock() {
    for (Slot s : live) {
      if (s.state != State.DONE
          && s.state != State.RUNNING
          && !s.futurelockReported
          && steps - s.lastScheduled > config.futurelockSteps()
          && s.task.holdsReservedObligations()) {
        s.futurelockReported = true;
        violations.add(
            new Violation(
                Oracle.FUTURELOCK,
                "task " + s.task.name() + " holds reserved obligations and was not scheduled for "
                    + (steps - s.lastScheduled) + " steps",
                List.of(s.task.id())));
      }
    }
  }

  private void abort(String why) {
    if (aborted) {
      return;
    }
    aborted = true;
    running = 0;
    for (Slot s : slots.values()) {
      LockSupport.unpark(s.task.thread());
    }
    ended.signalAll();
  }

  private void checkAborted() {
    if (aborted) {
      throw new LabAbortError("lab run aborted");
    }
  }

  private void signalIfFinished() {
    if (liveCount == 0) {
      finished = true;
      ended.signalAll();
    }
  }

  // ---- baton

  private void awaitBaton(SchedulableTask task) {
    long id = task.id();
    while (running != id) {
      if (aborted) {
        throw new LabAbortError("lab run aborted");
      }
      Thread.interrupted(); // an interrupt must not turn the wait into a spin
      LockSupport.park(this);
    }
  }

  // ---- the lab thread's view

  /** Waits until every task is done or the run was aborted. */
  void awaitEnd() throws InterruptedException {
    lock.lock();
    try {
      while (!finished && !aborted) {
        if (!started) {
          return;
        }
        ended.await(100, TimeUnit.MILLISECONDS);
        signalIfFinished();
      }
    } finally {
      lock.unlock();
    }
  }

  List<Violation> violations() {
    lock.lock();
    try {
      return List.copyOf(violations);
    } finally {
      lock.unlock();
    }
  }

  List<Long> choices() {
    lock.lock();
    try {
      return List.copyOf(choices);
    } finally {
      lock.unlock();
    }
  }

  long steps() {
    lock.lock();
    try {
      return steps;
    } finally {
      lock.unlock();
    }
  }

  boolean aborted() {
    return aborted;
  }

  // ---- escape detection

  private void startWatchdog() {
    Thread t =
        Thread.ofPlatform()
            .daemon()
            .name("asupersync-lab-watchdog")
            .unstarted(this::watch);
    watchdog = t;
    t.start();
  }

  private void watch() {
    long lastSteps = -1;
    long lastRunning = -1;
    long since = System.nanoTime();
    long graceNanos = config.escapeGrace().toNanos();
    while (true) {
      LockSupport.parkNanos(Math.min(graceNanos / 4 + 1, Duration.ofMillis(100).toNanos()));
      lock.lock();
      try {
        if (finished || aborted) {
          return;
        }
        long now = System.nanoTime();
        if (steps != lastSteps || running != lastRunning || running == 0) {
          lastSteps = steps;
          lastRunning = running;
          since = now;
          continue;
        }
        if (now - since > graceNanos) {
          Slot slot = slots.get(running);
          String stack = "";
          String name = "task " + running;
          if (slot != null) {
            name = slot.task.name();
            Thread thread = slot.task.thread();
            if (thread != null) {
              stack =
                  Arrays.stream(thread.getStackTrace())
                      .limit(12)
                      .map(f -> "\n    at " + f)
                      .collect(Collectors.joining());
            }
          }
          violations.add(
              new Violation(
                  Oracle.ESCAPE,
                  name + " ran for more than " + config.escapeGrace()
                      + " without reaching a runtime yield point (blocked outside the runtime?)" + stack,
                  List.of(running)));
          abort("task escaped the scheduler");
          return;
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /** The frames of a parked task's stack above the runtime's own wait machinery. */
  private static String waitSite(Slot slot) {
    Thread thread = slot.task.thread();
    if (thread == null) {
      return "(not started)";
    }
    List<String> frames = new ArrayList<>();
    for (StackTraceElement f : thread.getStackTrace()) {
      String c = f.getClassName();
      boolean machinery = c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("io.asupersync.lab.")
          || c.equals("io.asupersync.Cx") || c.equals("io.asupersync.Runtime");
      if (!machinery) {
        frames.add(f.toString());
        if (frames.size() == 3) {
          break;
        }
      }
    }
    return frames.isEmpty() ? "(unknown)" : String.join(" <- ", frames);
  }

  private static List<Long> ids(List<Slot> slots) {
    return slots.stream().map(s -> s.task.id()).toList();
  }

  private static String names(List<Slot> slots) {
    return slots.stream().map(s -> s.task.id() + ":" + s.task.name()).collect(Collectors.joining(", "));
  }
}
