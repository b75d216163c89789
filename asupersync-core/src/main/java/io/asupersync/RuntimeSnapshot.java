package io.asupersync;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A point-in-time view of a runtime: its region tree, live tasks (stragglers included), reserved
 * obligations, recent leaks and counters. Taken without stopping the runtime, so a snapshot of a busy
 * runtime is consistent per region, not globally.
 *
 * @param takenAt runtime clock reading
 * @param regions live regions, parents before children
 * @param tasks live tasks
 * @param obligations obligations still reserved
 * @param leaks the most recent leaks, oldest first
 * @param counters totals since the runtime started
 */
public record RuntimeSnapshot(
    Instant takenAt,
    List<RegionInfo> regions,
    List<TaskInfo> tasks,
    List<ObligationInfo> obligations,
    List<LeakInfo> leaks,
    Counters counters) {

  public RuntimeSnapshot {
    regions = List.copyOf(regions);
    tasks = List.copyOf(tasks);
    obligations = List.copyOf(obligations);
    leaks = List.copyOf(leaks);
  }

  /**
   * One region.
   *
   * @param id region id
   * @param parentId parent region id, 0 for a root region
   * @param ownerTaskId the task whose scope opened it, 0 for a root region
   * @param state where it is in the close protocol
   * @param policy failure policy
   * @param cancelReason the recorded cancel reason, if any
   * @param taskIds its live tasks
   * @param childRegionIds its live child regions
   */
  public record RegionInfo(
      long id,
      long parentId,
      long ownerTaskId,
      RegionState state,
      RegionPolicy policy,
      @Nullable CancelReason cancelReason,
      List<Long> taskIds,
      List<Long> childRegionIds) {}

  /**
   * One task.
   *
   * @param id task id
   * @param name task name
   * @param regionId owning region
   * @param state lifecycle state
   * @param budget the budget it was given
   * @param cancelReason the recorded cancel reason, if any
   * @param straggler whether it overran a cleanup budget and was left behind by its region
   */
  public record TaskInfo(
      long id,
      String name,
      long regionId,
      TaskState state,
      Budget budget,
      @Nullable CancelReason cancelReason,
      boolean straggler) {}

  /**
   * One obligation.
   *
   * @param id obligation id
   * @param kind what it stands for
   * @param description what the holder said it is
   * @param state its state when observed
   * @param taskId holder task
   * @param regionId region it was reserved in
   */
  public record ObligationInfo(
      long id,
      ObligationKind kind,
      String description,
      ObligationState state,
      long taskId,
      long regionId) {}

  /**
   * A leaked obligation and what the runtime did about it.
   *
   * @param obligation the obligation as it was when leaked
   * @param at when the leak was detected
   * @param response the response applied
   */
  public record LeakInfo(ObligationInfo obligation, Instant at, LeakResponse response) {}

  /**
   * Totals since the runtime started.
   *
   * @param tasksSpawned tasks started (finalizer tasks included)
   * @param tasksCompleted tasks finished
   * @param tasksCancelled tasks that finished Cancelled
   * @param tasksFailed tasks that finished Err
   * @param tasksPanicked tasks that finished Panicked
   * @param tasksActive tasks not yet finished
   * @param obligationsLeaked obligations leaked
   * @param stragglers tasks left behind by an overrun cleanup budget and still running
   * @param tasksCancelledByKind tasks that finished Cancelled, by the kind of their own recorded reason;
   *     every kind is present
   * @param regionsActive regions opened and not yet closed (root regions included)
   * @param obligationsActive obligations reserved and not yet committed, aborted or leaked
   */
  public record Counters(
      long tasksSpawned,
      long tasksCompleted,
      long tasksCancelled,
      long tasksFailed,
      long tasksPanicked,
      long tasksActive,
      long obligationsLeaked,
      long stragglers,
      Map<CancelKind, Long> tasksCancelledByKind,
      long regionsActive,
      long obligationsActive) {

    public Counters {
      tasksCancelledByKind = Map.copyOf(tasksCancelledByKind);
    }
  }
}
