package io.asupersync.lab;

import io.asupersync.ObligationLeakException;
import io.asupersync.trace.TraceEvent;
import io.asupersync.trace.TraceKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The post-run oracles that read the full trace of a lab run. */
final class Oracles {

  private Oracles() {}

  static List<Violation> check(List<TraceEvent> events) {
    List<Violation> out = new ArrayList<>();
    Map<Long, Long> taskRegion = new HashMap<>();
    Set<Long> liveTasks = new LinkedHashSet<>();
    Map<Long, String> taskNames = new HashMap<>();
    Map<Long, Long> regionParent = new HashMap<>();
    Set<Long> openRegions = new LinkedHashSet<>();
    Set<Long> closedRegions = new HashSet<>();
    Set<Long> overrunRegions = new HashSet<>();
    Map<Long, Integer> finalizersPending = new HashMap<>();
    Map<Long, Integer> lastCancelSeverity = new HashMap<>();
    Set<Long> cancelRequested = new HashSet<>();
    Set<Long> raceLosers = new HashSet<>();
    Instant previousTime = null;

    for (TraceEvent e : events) {
      if (previousTime != null && e.time().isBefore(previousTime)) {
        out.add(new Violation(Oracle.DEADLINE_MONOTONE, "time went backwards at event " + e.sequence(), List.of()));
      }
      previousTime = e.time();
      long task = e.taskId();
      long region = e.regionId();
      switch (e.kind()) {
        case REGION_OPENED -> {
          long parent = Long.parseLong(e.attribute("parent").isEmpty() ? "0" : e.attribute("parent"));
          if (parent != 0 && !openRegions.contains(parent)) {
            out.add(new Violation(Oracle.REGION_TREE, "region " + region + " opened under region " + parent + " which is not open", List.of()));
          }
          regionParent.put(region, parent);
          openRegions.add(region);
        }
        case TASK_SPAWNED -> {
          if (!openRegions.contains(region)) {
            out.add(new Violation(Oracle.REGION_TREE, "task " + task + " spawned into region " + region + " which is not open", List.of(task)));
          }
          taskRegion.put(task, region);
          liveTasks.add(task);
          taskNames.put(task, e.attribute("name"));
          checkDeadlines(e, out);
        }
        case TASK_COMPLETED -> {
          liveTasks.remove(task);
          if ("panicked".equals(e.attribute("outcome"))
              && !ObligationLeakException.class.getName().equals(e.attribute("cause"))) {
            out.add(new Violation(Oracle.PANIC, "task " + describe(task, taskNames) + " panicked: "
                + e.attribute("cause") + ": " + e.attribute("message"), List.of(task)));
          }
        }
        case CANCEL_REQUESTED -> {
          if (task != 0) {
            int severity = io.asupersync.CancelKind.valueOf(e.attribute("kind")).severity();
            Integer previous = lastCancelSeverity.get(task);
            if (previous != null && severity <= previous && liveTasks.contains(task)) {
              out.add(new Violation(Oracle.CANCELLATION_PROTOCOL, "task " + describe(task, taskNames)
                  + " recorded a cancel reason that is not stronger than the previous one", List.of(task)));
            }
            lastCancelSeverity.put(task, severity);
            cancelRequested.add(task);
            if ("RACE_LOST".equals(e.attribute("kind"))) {
              raceLosers.add(task);
            }
          }
        }
        case CANCEL_ACKNOWLEDGED -> {
          if (!cancelRequested.contains(task)) {
            out.add(new Violation(Oracle.CANCELLATION_PROTOCOL, "task " + describe(task, taskNames)
                + " acknowledged a cancellation that was never requested", List.of(task)));
          }
        }
        case DRAIN_OVERRUN -> overrunRegions.add(region);
        case FINALIZER_REGISTERED -> finalizersPending.merge(region, 1, Integer::sum);
        case FINALIZER_RAN -> finalizersPending.merge(region, -1, Integer::sum);
        case REGION_CLOSED -> {
          for (long t : liveTasks) {
            if (taskRegion.getOrDefault(t, -1L) == region && !overrunRegions.contains(region)) {
              Oracle oracle = raceLosers.contains(t) ? Oracle.LOSER_DRAIN : Oracle.REGION_TREE;
              out.add(new Violation(oracle, "region " + region + " closed while task " + describe(t, taskNames)
                  + " was still running", List.of(t)));
            }
          }
          for (long r : openRegions) {
            if (r != region && regionParent.getOrDefault(r, 0L) == region) {
              out.add(new Violation(Oracle.REGION_TREE, "region " + region + " closed before its child region " + r, List.of()));
            }
          }
          int pending = finalizersPending.getOrDefault(region, 0);
          if (pending > 0) {
            out.add(new Violation(Oracle.FINALIZER, "region " + region + " closed with " + pending
                + " finalizer(s) that did not run to completion", List.of()));
          }
          openRegions.remove(region);
          closedRegions.add(region);
        }
        case OBLIGATION_LEAKED -> out.add(new Violation(Oracle.OBLIGATION_LEAK, "task " + describe(task, taskNames)
            + " leaked obligation " + e.obligationId() + " (" + e.attribute("kind") + " '" + e.attribute("description") + "')",
            List.of(task)));
        default -> {}
      }
    }
    for (long t : liveTasks) {
      out.add(new Violation(Oracle.TASK_LEAK, "task " + describe(t, taskNames) + " was still running at the end of the run", List.of(t)));
    }
    for (long r : openRegions) {
      out.add(new Violation(Oracle.QUIESCENCE, "region " + r + " never closed", List.of()));
    }
    return out;
  }

  private static void checkDeadlines(TraceEvent e, List<Violation> out) {
    String child = e.attribute("deadline");
    String parent = e.attribute("regionDeadline");
    if (parent.isEmpty() || "null".equals(parent)) {
      return;
    }
    if ("null".equals(child) || Instant.parse(child).isAfter(Instant.parse(parent))) {
      out.add(new Violation(Oracle.DEADLINE_MONOTONE, "task " + e.taskId() + " got deadline " + child
          + " later than its region's " + parent, List.of(e.taskId())));
    }
  }

  private static String describe(long task, Map<Long, String> names) {
    String name = names.get(task);
    return name == null || name.isEmpty() ? Long.toString(task) : task + ":" + name;
  }

  /** The last {@code perTask} events of each of the given tasks, in trace order. */
  static List<TraceEvent> lastEventsOf(List<TraceEvent> events, Set<Long> tasks, int perTask) {
    Map<Long, List<TraceEvent>> byTask = new LinkedHashMap<>();
    for (TraceEvent e : events) {
      if (tasks.contains(e.taskId())) {
        byTask.computeIfAbsent(e.taskId(), k -> new ArrayList<>()).add(e);
      }
    }
    List<TraceEvent> out = new ArrayList<>();
    for (List<TraceEvent> list : byTask.values()) {
      out.addAll(list.subList(Math.max(0, list.size() - perTask), list.size()));
    }
    out.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
    return out;
  }
}
