package io.asupersync.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Outcome;
import io.asupersync.TaskBody;
import io.asupersync.TaskHandle;
import io.asupersync.channel.ChannelClosedException;
import io.asupersync.channel.MpscChannel;
import io.asupersync.channel.SendPermit;
import io.asupersync.combinator.Combinators;
import io.asupersync.sync.Mutex;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The channel, sync and combinator primitives schedule deterministically under the lab. */
class LabPrimitivesTests {

  /**
   * Three producers, one consumer, a capacity-2 channel; a closer closes the channel once every
   * producer ended (however it ended), so a consumer never waits for messages nobody will send.
   * Returns what the consumer received.
   */
  static final TaskBody<List<Integer>> PIPELINE = cx -> {
    MpscChannel<Integer> ch = MpscChannel.bounded(2);
    List<Integer> received = new ArrayList<>();
    List<TaskHandle<Void>> producers = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      int base = p * 100;
      producers.add(cx.spawn("producer-" + p, c -> {
        for (int i = 0; i < 5; i++) {
          SendPermit<Integer> permit = ch.reserve(c);
          permit.send(base + i);
        }
        return null;
      }));
    }
    cx.spawn("closer", c -> {
      try {
        for (TaskHandle<Void> h : producers) {
          h.join(c);
        }
      } finally {
        ch.close();
      }
      return null;
    });
    while (true) {
      try {
        received.add(ch.recv(cx));
      } catch (ChannelClosedException drained) {
        return received;
      }
    }
  };

  @Test
  void channelPipelineIsDeterministicPerSeedAndVariesAcrossSeeds() {
    Set<List<Integer>> orders = new HashSet<>();
    for (long seed = 0; seed < 200; seed++) {
      LabRun<List<Integer>> run = LabRuntime.run(seed, PIPELINE);
      assertThat(run.passed()).as(run.report()).isTrue();
      List<Integer> got = ((Outcome.Ok<List<Integer>>) run.outcome()).value();
      assertThat(got).hasSize(15).doesNotHaveDuplicates();
      orders.add(got);
      if (seed % 50 == 0) {
        assertThat(LabRuntime.run(seed, PIPELINE).trace()).isEqualTo(run.trace());
      }
    }
    assertThat(orders).hasSizeGreaterThan(20);
  }

  @Test
  void channelPipelineUnderHeavyFaultsNeverViolatesAnOracle() {
    for (long seed = 0; seed < 200; seed++) {
      LabRun<List<Integer>> run = LabRuntime.run(LabConfig.seed(seed).withFaults(FaultPreset.HEAVY), PIPELINE);
      assertThat(run.violations()).as(run.report()).isEmpty();
      if (run.outcome() instanceof Outcome.Ok<List<Integer>> ok) {
        assertThat(ok.value()).doesNotHaveDuplicates().allMatch(v -> v % 100 < 5);
      }
    }
  }

  @Test
  void mutexAndRaceUnderTheLab() {
    for (long seed = 0; seed < 200; seed++) {
      LabRun<Integer> run = LabRuntime.run(LabConfig.seed(seed).withFaults(FaultPreset.LIGHT), cx -> {
        Mutex mutex = new Mutex();
        int[] counter = {0};
        List<TaskBody<Integer>> branches = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
          int id = b;
          branches.add(c -> {
            for (int i = 0; i < 3; i++) {
              try (Mutex.Guard g = mutex.lock(c)) {
                int read = counter[0];
                c.checkpoint();
                counter[0] = read + 1;
              }
            }
            c.sleep(Duration.ofMillis(10 * (id + 1)));
            return id;
          });
        }
        Outcome<Integer> winner = Combinators.race(cx, branches);
        return winner instanceof Outcome.Ok<Integer> ok ? ok.value() : -1;
      });
      assertThat(run.violations()).as(run.report()).isEmpty();
    }
  }
}
