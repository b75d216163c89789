package io.asupersync.spring.boot.actuate.endpoint;

import io.asupersync.CancelKind;
import io.asupersync.CancelReason;
import io.asupersync.LeakResponse;
import io.asupersync.ObligationKind;
import io.asupersync.ObligationState;
import io.asupersync.RegionPolicy;
import io.asupersync.RegionState;
import io.asupersync.Runtime;
import io.asupersync.RuntimeSnapshot;
import io.asupersync.TaskState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@code /actuator/asupersync}: a summary of the runtime from its counters, and, by selector, the live
 * {@code regions}, {@code tasks} and reserved {@code obligations} of a snapshot and the recent {@code
 * leaks}. Read-only. An unknown selector is answered 404.
 */
@Endpoint(id = "asupersync", defaultAccess = Access.READ_ONLY)
public final class AsupersyncEndpoint {

  private final Runtime runtime;

  public AsupersyncEndpoint(Runtime runtime) {
    this.runtime = runtime;
  }

  /** The summary: counters only, no walk of the region tree, so it is cheap to poll. */
  @ReadOperation
  public SummaryDescriptor summary() {
    RuntimeSnapshot.Counters c = runtime.counters();
    Map<CancelKind, Long> cancellations = new TreeMap<>(c.tasksCancelledByKind());
    return new SummaryDescriptor(
        runtime.clock().now(),
        runtime.isShutdown(),
        new TaskCounts(
            c.tasksActive(),
            c.tasksSpawned(),
            c.tasksCompleted(),
            c.tasksCancelled(),
            c.tasksFailed(),
            c.tasksPanicked(),
            c.stragglers()),
        new RegionCounts(c.regionsActive()),
        new ObligationCounts(c.obligationsActive(), c.obligationsLeaked()),
        cancellations,
        new TraceCounts(runtime.trace().capacity(), runtime.trace().dropped()));
  }

  /**
   * One part of a snapshot.
   *
   * @param part {@code regions}, {@code tasks}, {@code obligations} or {@code leaks}
   * @return the part, or {@code null} (404) for an unknown one
   */
  @ReadOperation
  public @Nullable OperationResponseBody part(@Selector String part) {
    return switch (part) {
      case "regions" -> {
        RuntimeSnapshot s = runtime.snapshot();
        yield new RegionsDescriptor(s.takenAt(), s.regions().stream().map(RegionDescriptor::of).toList());
      }
      case "tasks" -> {
        RuntimeSnapshot s = runtime.snapshot();
        yield new TasksDescriptor(s.takenAt(), s.tasks().stream().map(TaskDescriptor::of).toList());
      }
      case "obligations" -> {
        RuntimeSnapshot s = runtime.snapshot();
        yield new ObligationsDescriptor(
            s.takenAt(), s.obligations().stream().map(ObligationDescriptor::of).toList());
      }
      case "leaks" -> {
        RuntimeSnapshot s = runtime.snapshot();
        yield new LeaksDescriptor(
            s.takenAt(), s.counters().obligationsLeaked(), s.leaks().stream().map(LeakDescriptor::of).toList());
      }
      default -> null;
    };
  }

  /**
   * The summary.
   *
   * @param takenAt runtime clock reading
   * @param shutdown whether the runtime has been shut down
   * @param tasks task counters
   * @param regions region counters
   * @param obligations obligation counters
   * @param cancellations tasks that finished cancelled, by the kind of their reason
   * @param trace trace ring state
   */
  public record SummaryDescriptor(
      Instant takenAt,
      boolean shutdown,
      TaskCounts tasks,
      RegionCounts regions,
      ObligationCounts obligations,
      Map<CancelKind, Long> cancellations,
      TraceCounts trace)
      implements OperationResponseBody {}

  /**
   * Task counters since start, and the live count.
   *
   * @param active tasks not yet finished
   * @param spawned tasks started
   * @param completed tasks finished, whatever their outcome
   * @param cancelled tasks that finished Cancelled
   * @param failed tasks that finished Err
   * @param panicked tasks that finished Panicked
   * @param stragglers tasks left behind by an overrun cleanup budget and still running
   */
  public record TaskCounts(
      long active, long spawned, long completed, long cancelled, long failed, long panicked, long stragglers) {}

  /**
   * Region counters.
   *
   * @param active regions open and not yet closed
   */
  public record RegionCounts(long active) {}

  /**
   * Obligation counters.
   *
   * @param active obligations reserved and not yet settled
   * @param leaked obligations leaked since start
   */
  public record ObligationCounts(long active, long leaked) {}

  /**
   * Trace ring state.
   *
   * @param capacity events the ring keeps
   * @param dropped events overwritten since start
   */
  public record TraceCounts(int capacity, long dropped) {}

  /** The live regions, parents before children. */
  public record RegionsDescriptor(Instant takenAt, List<RegionDescriptor> regions) implements OperationResponseBody {}

  /** The live tasks, stragglers included. */
  public record TasksDescriptor(Instant takenAt, List<TaskDescriptor> tasks) implements OperationResponseBody {}

  /** The obligations still reserved. */
  public record ObligationsDescriptor(Instant takenAt, List<ObligationDescriptor> obligations)
      implements OperationResponseBody {}

  /**
   * The most recent leaks (at most 256), oldest first.
   *
   * @param total leaks since the runtime started, which may exceed the list
   */
  public record LeaksDescriptor(Instant takenAt, long total, List<LeakDescriptor> leaks)
      implements OperationResponseBody {}

  /** One region. */
  public record RegionDescriptor(
      long id,
      long parentId,
      long ownerTaskId,
      RegionState state,
      RegionPolicy policy,
      @Nullable CancelReasonDescriptor cancelReason,
      List<Long> taskIds,
      List<Long> childRegionIds) {

    static RegionDescriptor of(RuntimeSnapshot.RegionInfo r) {
      return new RegionDescriptor(
          r.id(),
          r.parentId(),
          r.ownerTaskId(),
          r.state(),
          r.policy(),
          CancelReasonDescriptor.of(r.cancelReason()),
          r.taskIds(),
          r.childRegionIds());
    }
  }

  /**
   * One task.
   *
   * @param deadline the deadline of its budget, {@code null} when it has none
   */
  public record TaskDescriptor(
      long id,
      String name,
      long regionId,
      TaskState state,
      @Nullable Instant deadline,
      @Nullable CancelReasonDescriptor cancelReason,
      boolean straggler) {

    static TaskDescriptor of(RuntimeSnapshot.TaskInfo t) {
      return new TaskDescriptor(
          t.id(),
          t.name(),
          t.regionId(),
          t.state(),
          t.budget().deadline(),
          CancelReasonDescriptor.of(t.cancelReason()),
          t.straggler());
    }
  }

  /** One obligation. */
  public record ObligationDescriptor(
      long id, ObligationKind kind, String description, ObligationState state, long taskId, long regionId) {

    static ObligationDescriptor of(RuntimeSnapshot.ObligationInfo o) {
      return new ObligationDescriptor(o.id(), o.kind(), o.description(), o.state(), o.taskId(), o.regionId());
    }
  }

  /** One leak: the obligation as it was when leaked, when, and the response applied. */
  public record LeakDescriptor(ObligationDescriptor obligation, Instant at, LeakResponse response) {

    static LeakDescriptor of(RuntimeSnapshot.LeakInfo l) {
      return new LeakDescriptor(ObligationDescriptor.of(l.obligation()), l.at(), l.response());
    }
  }

  /**
   * A cancel reason.
   *
   * @param rootKind kind of the first reason in its cause chain (what started the cancellation)
   */
  public record CancelReasonDescriptor(
      CancelKind kind, String message, long originRegionId, long originTaskId, Instant at, CancelKind rootKind) {

    static @Nullable CancelReasonDescriptor of(@Nullable CancelReason r) {
      return r == null
          ? null
          : new CancelReasonDescriptor(r.kind(), r.message(), r.originRegion(), r.originTask(), r.at(), r.root().kind());
    }
  }
}
