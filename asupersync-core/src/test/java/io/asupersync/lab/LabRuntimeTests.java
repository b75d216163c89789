package io.asupersync.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Outcome;
import io.asupersync.TaskBody;
import io.asupersync.TaskHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabRuntimeTests {

  /** Three workers append to a shared list around checkpoints; the order depends on the schedule. */
  static final TaskBody<List<String>> INTERLEAVING = cx -> {
    List<String> log = new ArrayList<>();
    List<TaskHandle<Void>> hs = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      String name = "w" + w;
      hs.add(cx.spawn(name, c -> {
        for (int i = 0; i < 3; i++) {
          c.checkpoint();
          synchronized (log) {
            log.add(name + ":" + i);
          }
        }
        return null;
      }));
    }
    for (TaskHandle<Void> h : hs) {
      h.join(cx).orThrow();
    }
    return log;
  };

  @Test
  void sameSeedGivesIdenticalEventsAndFingerprint() {
    LabRun<List<String>> a = LabRuntime.run(17, INTERLEAVING);
    LabRun<List<String>> b = LabRuntime.run(17, INTERLEAVING);
    assertThat(a.passed()).as(a.report()).isTrue();
    assertThat(a.outcome()).isEqualTo(b.outcome());
    assertThat(a.trace()).isEqualTo(b.trace());
    assertThat(a.fingerprint()).isEqualTo(b.fingerprint());
    assertThat(a.choices()).isEqualTo(b.choices());
  }

  @Test
  void differentSeedsExploreDifferentSchedules() {
    java.util.Set<Object> outcomes = new java.util.HashSet<>();
    java.util.Set<Long> fingerprints = new java.util.HashSet<>();
    for (long seed = 0; seed < 50; seed++) {
      LabRun<List<String>> run = LabRuntime.run(seed, INTERLEAVING);
      assertThat(run.passed()).as(run.report()).isTrue();
      outcomes.add(run.outcome());
      fingerprints.add(run.fingerprint());
    }
    assertThat(outcomes).hasSizeGreaterThan(5);
    assertThat(fingerprints).hasSizeGreaterThan(5);
  }

  @Test
  void virtualTimeAdvancesOnlyWhenEveryoneWaitsOnTime() {
    LabRun<Long> run = LabRuntime.run(3, cx -> {
      long before = cx.now().toEpochMilli();
      TaskHandle<Void> sleeper = cx.spawn(c -> {
        c.sleep(Duration.ofHours(5));
        return null;
      });
      sleeper.join(cx).orThrow();
      return cx.now().toEpochMilli() - before;
    });
    assertThat(run.passed()).as(run.report()).isTrue();
    assertThat(run.outcome()).isEqualTo(Outcome.ok(Duration.ofHours(5).toMillis()));
    assertThat(run.virtualTime()).isEqualTo(Duration.ofHours(5));
  }
}
