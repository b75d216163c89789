package io.asupersync.spring.boot.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class EnumRejectionCountsTests {

  enum Reason { TOO_BIG, BAD_INPUT }

  @Test
  void reasonsAreTheConstantsInLowerCaseReadAtEachCount() {
    AtomicReference<Map<Reason, Long>> snapshot = new AtomicReference<>(Map.of());
    RejectionCounts counts = new EnumRejectionCounts<>("grpc", Reason.class, snapshot::get);
    assertThat(counts.protocol()).isEqualTo("grpc");
    assertThat(counts.reasons()).containsExactlyInAnyOrder("too_big", "bad_input");
    assertThat(counts.count("too_big")).isZero();

    EnumMap<Reason, Long> running = new EnumMap<>(Reason.class);
    running.put(Reason.TOO_BIG, 3L);
    snapshot.set(running);
    assertThat(counts.count("too_big")).isEqualTo(3);
    assertThat(counts.count("bad_input")).as("absent from the snapshot").isZero();
    assertThat(counts.count("TOO_BIG")).as("not a tag value").isZero();
  }
}
