package io.asupersync.lab;

import io.asupersync.trace.TraceChain;
import io.asupersync.trace.TraceEvent;
import io.asupersync.trace.TraceKind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A schedule fingerprint that is equal for traces differing only in the order of independent events.
 * Each event's footprint is the task, region and obligation it touches; an event's hash folds in its
 * content and the latest hash of every footprint element, and the fingerprint sums the event hashes.
 * Swapping two adjacent events with disjoint footprints changes neither event's hash, so the sum stays
 * the same; reordering dependent events changes it.
 */
public final class Fingerprint {

  private Fingerprint() {}

  public static long of(List<TraceEvent> events) {
    Map<Long, Long> lastByTask = new HashMap<>();
    Map<Long, Long> lastByRegion = new HashMap<>();
    Map<Long, Long> lastByObligation = new HashMap<>();
    long sum = 0;
    for (TraceEvent e : events) {
      if (e.kind() == TraceKind.RUNTIME_STARTED) {
        continue;
      }
      long h = content(e);
      if (e.taskId() != 0) {
        h = mix(h ^ 0x1L ^ lastByTask.getOrDefault(e.taskId(), e.taskId()));
      }
      if (e.regionId() != 0) {
        h = mix(h ^ 0x2L ^ lastByRegion.getOrDefault(e.regionId(), e.regionId() << 8));
      }
      if (e.obligationId() != 0) {
        h = mix(h ^ 0x3L ^ lastByObligation.getOrDefault(e.obligationId(), e.obligationId() << 16));
      }
      if (e.taskId() != 0) {
        lastByTask.put(e.taskId(), h);
      }
      if (e.regionId() != 0) {
        lastByRegion.put(e.regionId(), h);
      }
      if (e.obligationId() != 0) {
        lastByObligation.put(e.obligationId(), h);
      }
      sum += h;
    }
    return sum;
  }

  private static long content(TraceEvent e) {
    long h = TraceChain.content(e.kind(), e.taskId(), e.regionId(), e.obligationId(), e.attributes());
    h = mix(h ^ e.time().getEpochSecond());
    return mix(h ^ e.time().getNano());
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
