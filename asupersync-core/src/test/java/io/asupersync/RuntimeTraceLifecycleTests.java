package io.asupersync;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.trace.TraceEvent;
import io.asupersync.trace.TraceKind;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuntimeTraceLifecycleTests {

  private static final Set<TraceKind> LIFECYCLE =
      EnumSet.of(TraceKind.TASK_SPAWNED, TraceKind.TASK_COMPLETED, TraceKind.REGION_OPENED, TraceKind.REGION_CLOSED);

  /** A root task whose scope spawns a child, cancels it and records a user event. */
  private static void work(Runtime rt) {
    rt.run(cx -> {
      TaskHandle<Object> child = cx.spawn(c -> {
        c.sleep(java.time.Duration.ofMinutes(1));
        return null;
      });
      cx.trace("step", Map.of("n", "1"));
      child.cancel(CancelReason.of(CancelKind.USER, "not needed"));
      return child.join(cx);
    });
  }

  private static Set<TraceKind> kinds(Runtime rt) {
    EnumSet<TraceKind> kinds = EnumSet.noneOf(TraceKind.class);
    for (TraceEvent e : rt.trace().events()) {
      kinds.add(e.kind());
    }
    return kinds;
  }

  @Test
  void lifecycleEventsAreRecordedByDefault() {
    try (Runtime rt = Runtime.builder().build()) {
      work(rt);
      assertThat(kinds(rt)).containsAll(LIFECYCLE);
    }
  }

  @Test
  void withoutLifecycleTracingOnlyTheOtherEventsAreRecordedAndCountersStillCount() {
    try (Runtime rt = Runtime.builder().traceLifecycle(false).build()) {
      work(rt);
      assertThat(kinds(rt))
          .doesNotContainAnyElementsOf(LIFECYCLE)
          .contains(TraceKind.USER, TraceKind.CANCEL_REQUESTED, TraceKind.CANCEL_ACKNOWLEDGED);
      RuntimeSnapshot.Counters counters = rt.counters();
      assertThat(counters.tasksSpawned()).isEqualTo(2);
      assertThat(counters.tasksCompleted()).isEqualTo(2);
      assertThat(counters.tasksCancelled()).isEqualTo(1);
      assertThat(rt.trace().verify().valid()).isTrue();
    }
  }
}
