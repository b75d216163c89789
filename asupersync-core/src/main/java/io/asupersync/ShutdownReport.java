package io.asupersync;

import java.time.Duration;
import java.util.List;

/**
 * What {@link Runtime#shutdown()} achieved within the shutdown timeout.
 *
 * @param quiescent whether every task finished in time
 * @param took how long the shutdown waited
 * @param stuckTasks tasks still running when the timeout passed
 * @param stuckRegions regions that had not closed
 */
public record ShutdownReport(
    boolean quiescent,
    Duration took,
    List<RuntimeSnapshot.TaskInfo> stuckTasks,
    List<RuntimeSnapshot.RegionInfo> stuckRegions) {

  public ShutdownReport {
    stuckTasks = List.copyOf(stuckTasks);
    stuckRegions = List.copyOf(stuckRegions);
  }
}
