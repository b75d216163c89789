package io.asupersync.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TraceChainTests {

  private final AtomicLong tick = new AtomicLong();
  private final TraceBuffer buffer =
      new TraceBuffer(64, () -> Instant.EPOCH.plusMillis(tick.incrementAndGet()), TraceSink.discard());

  private List<TraceEvent> record(int n) {
    for (int i = 0; i < n; i++) {
      buffer.record(TraceKind.USER, i, 1, 0, Map.of("name", "step", "i", Integer.toString(i)));
    }
    return buffer.events();
  }

  @Test
  void intactChainVerifies() {
    List<TraceEvent> events = record(10);
    assertThat(TraceChain.verify(events, TraceChain.GENESIS).valid()).isTrue();
    assertThat(buffer.verify().valid()).isTrue();
  }

  @Test
  void editingOneEventBreaksVerification() {
    List<TraceEvent> events = new ArrayList<>(record(10));
    TraceEvent e = events.get(4);
    events.set(
        4,
        new TraceEvent(e.sequence(), e.time(), e.kind(), e.taskId(), e.regionId(), e.obligationId(),
            Map.of("name", "step", "i", "999"), e.hash()));
    TraceChain.Verification v = TraceChain.verify(events, TraceChain.GENESIS);
    assertThat(v.valid()).isFalse();
    assertThat(v.firstBadSequence()).isEqualTo(e.sequence());
  }

  @Test
  void everyFieldIsCovered() {
    TraceEvent e = record(3).get(1);
    long prev = record(0).get(0).hash();
    List<TraceEvent> variants = List.of(
        new TraceEvent(e.sequence(), e.time().plusNanos(1), e.kind(), e.taskId(), e.regionId(), e.obligationId(), e.attributes(), e.hash()),
        new TraceEvent(e.sequence(), e.time(), TraceKind.TASK_SPAWNED, e.taskId(), e.regionId(), e.obligationId(), e.attributes(), e.hash()),
        new TraceEvent(e.sequence(), e.time(), e.kind(), e.taskId() + 1, e.regionId(), e.obligationId(), e.attributes(), e.hash()),
        new TraceEvent(e.sequence(), e.time(), e.kind(), e.taskId(), e.regionId() + 1, e.obligationId(), e.attributes(), e.hash()),
        new TraceEvent(e.sequence(), e.time(), e.kind(), e.taskId(), e.regionId(), e.obligationId() + 1, e.attributes(), e.hash()));
    assertThat(TraceChain.recompute(prev, e)).isEqualTo(e.hash());
    for (TraceEvent v : variants) {
      assertThat(TraceChain.recompute(prev, v)).as(v.toString()).isNotEqualTo(e.hash());
    }
  }

  @Test
  void droppedOrReorderedEventsBreakVerification() {
    List<TraceEvent> events = new ArrayList<>(record(6));
    List<TraceEvent> dropped = new ArrayList<>(events);
    dropped.remove(2);
    assertThat(TraceChain.verify(dropped, TraceChain.GENESIS).valid()).isFalse();
    List<TraceEvent> swapped = new ArrayList<>(events);
    swapped.set(2, events.get(3));
    swapped.set(3, events.get(2));
    assertThat(TraceChain.verify(swapped, TraceChain.GENESIS).valid()).isFalse();
  }

  @Test
  void ringKeepsNewestAndAWindowStillVerifies() {
    record(200);
    List<TraceEvent> events = buffer.events();
    assertThat(events).hasSize(64);
    assertThat(events.get(63).sequence()).isEqualTo(200);
    assertThat(buffer.dropped()).isEqualTo(136);
    assertThat(buffer.verify().valid()).isTrue();
  }

  @Test
  void filterAndLimitReturnNewestMatchesOldestFirst() {
    record(20);
    List<TraceEvent> last3 = buffer.events(e -> e.taskId() % 2 == 0, 3);
    assertThat(last3).extracting(TraceEvent::taskId).containsExactly(14L, 16L, 18L);
  }

  @Test
  void concurrentRecordersFormOneUnbrokenChain() throws Exception {
    TraceBuffer shared = new TraceBuffer(10_000, Instant::now, TraceSink.discard());
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      String name = "t" + t;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; i < 2_000; i++) {
                      shared.record(TraceKind.USER, i, 1, 0, Map.of("thread", name));
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    List<TraceEvent> events = shared.events();
    assertThat(events).hasSize(8_000);
    assertThat(events).extracting(TraceEvent::sequence).isSorted().doesNotHaveDuplicates();
    assertThat(events).extracting(TraceEvent::time).isSorted();
    assertThat(shared.verify().valid()).isTrue();
    assertThat(shared.dropped()).isZero();
  }

  @Test
  void aWindowReadWhileRecordersOverwriteTheRingStillVerifies() throws Exception {
    TraceBuffer small = new TraceBuffer(32, Instant::now, TraceSink.discard());
    Thread writer =
        Thread.ofPlatform()
            .start(
                () -> {
                  for (int i = 0; i < 50_000; i++) {
                    small.record(TraceKind.USER, i, 1, 0, Map.of());
                  }
                });
    while (writer.isAlive()) {
      List<TraceEvent> window = small.events();
      assertThat(TraceChain.verify(window, null).valid()).isTrue();
    }
    writer.join();
    assertThat(small.events()).hasSize(32);
    assertThat(small.dropped()).isEqualTo(50_000 - 32);
  }

  @Test
  void sinkReceivesEveryEventInOrderAndAFaultySinkIsIsolated() {
    List<Long> seen = new ArrayList<>();
    TraceBuffer withSink = new TraceBuffer(8, Instant::now, e -> {
      seen.add(e.sequence());
      if (e.sequence() == 2) {
        throw new IllegalStateException("exporter down");
      }
    });
    for (int i = 0; i < 4; i++) {
      withSink.record(TraceKind.USER, 0, 0, 0, Map.of());
    }
    assertThat(seen).containsExactly(1L, 2L, 3L, 4L);
  }
}
