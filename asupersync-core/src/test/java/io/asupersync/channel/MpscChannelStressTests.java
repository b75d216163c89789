package io.asupersync.channel;

import static io.asupersync.testutil.Await.user;
import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Budget;
import io.asupersync.Cx;
import io.asupersync.LeakResponse;
import io.asupersync.Outcome;
import io.asupersync.RegionPolicy;
import io.asupersync.Runtime;
import io.asupersync.TaskHandle;
import io.asupersync.testutil.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Several producers and one consumer at a time over a small channel, with producers and the consumer
 * cancelled at random points (direct cancels and scope deadlines) and restarted: every committed
 * message must be delivered exactly once and no slot may stay reserved.
 */
@Timeout(60)
class MpscChannelStressTests {
  private static final int PRODUCERS = 5;
  private static final int MESSAGES_PER_PRODUCER = 300;
  private static final int CAPACITY = 3;
  private static final Duration GIVE_UP = Duration.ofSeconds(15);

  /** Totals over all seeds, to check the run actually exercised the cancel paths. */
  private final AtomicLong consumerRestarts = new AtomicLong();
  private final AtomicLong producerRestarts = new AtomicLong();
  private final AtomicLong aborts = new AtomicLong();
  private long leaks;

  @Test
  void everyCommittedMessageIsDeliveredExactlyOnceUnderRandomCancellation() throws Exception {
    for (long seed = 1; seed <= 10; seed++) {
      runOnce(seed);
    }
    assertThat(consumerRestarts.get()).as("consumer restarts").isPositive();
    assertThat(producerRestarts.get()).as("producer restarts").isPositive();
    assertThat(aborts.get()).as("aborted permits").isPositive();
    assertThat(leaks).as("leaked permits").isPositive();
  }

  /** What one producer slot has done so far; touched by one producer task at a time. */
  private static final class ProducerState {
    int nextSeq;
    int sent;
    int starts;
  }

  private void runOnce(long seed) throws Exception {
    MpscChannel<Long> ch = MpscChannel.bounded(CAPACITY);
    Set<Long> committed = ConcurrentHashMap.newKeySet();
    Set<Long> delivered = ConcurrentHashMap.newKeySet();
    List<Long> duplicates = Collections.synchronizedList(new ArrayList<>());
    List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
    ProducerState[] states = new ProducerState[PRODUCERS];
    for (int p = 0; p < PRODUCERS; p++) {
      states[p] = new ProducerState();
    }

    try (Runtime runtime = Await.runtime(LeakResponse.SILENT, seed)) {
      Outcome<Object> run =
          runtime.run(
              cx -> {
                Random driver = new Random(seed);
                List<TaskHandle<Boolean>> producers = new ArrayList<>();
                for (int p = 0; p < PRODUCERS; p++) {
                  producers.add(spawnProducer(cx, ch, seed, p, states[p], committed));
                }
                int consumerStarts = 0;
                TaskHandle<Boolean> consumer =
                    spawnConsumer(cx, ch, seed, consumerStarts++, delivered, duplicates);
                boolean closed = false;
                long giveUpAt = System.nanoTime() + GIVE_UP.toNanos();
                while (true) {
                  if (System.nanoTime() - giveUpAt > 0) {
                    unexpected.add("no progress within " + GIVE_UP + ": " + ch + ", states " + describe(states));
                  }
                  boolean producing = false;
                  for (int p = 0; p < PRODUCERS; p++) {
                    TaskHandle<Boolean> h = producers.get(p);
                    if (!h.isDone()) {
                      producing = true;
                    } else if (!finished(h, "producer " + p, unexpected)) {
                      producing = true;
                      producerRestarts.incrementAndGet();
                      producers.set(p, spawnProducer(cx, ch, seed, p, states[p], committed));
                    }
                  }
                  if (consumer.isDone()) {
                    if (finished(consumer, "consumer", unexpected)) {
                      break; // closed and drained
                    }
                    consumerRestarts.incrementAndGet();
                    consumer = spawnConsumer(cx, ch, seed, consumerStarts++, delivered, duplicates);
                  }
                  if (!producing && !closed) {
                    ch.close(); // every producer is done: let the consumer drain and finish
                    closed = true;
                  }
                  if (!unexpected.isEmpty()) {
                    break;
                  }
                  int pause = driver.nextInt(4);
                  if (pause > 0) {
                    cx.sleep(Duration.ofNanos(pause * 150_000L));
                  }
                  int victim = driver.nextInt(PRODUCERS + 3);
                  if (victim < PRODUCERS) {
                    producers.get(victim).cancel(user("stress: cancel producer " + victim));
                  } else if (victim == PRODUCERS) {
                    consumer.cancel(user("stress: cancel consumer"));
                  }
                }
                if (!unexpected.isEmpty()) {
                  cx.cancelScope("stress: giving up"); // the scope drains what is left
                  return null;
                }
                for (TaskHandle<Boolean> h : producers) {
                  h.join(cx);
                }
                return null;
              });
      assertThat(unexpected).as("seed %d: unexpected outcomes", seed).isEmpty();
      assertThat(run.isOk()).as("seed %d: driver outcome %s", seed, run).isTrue();
      leaks += runtime.snapshot().counters().obligationsLeaked();
    }

    assertThat(duplicates).as("seed %d: messages delivered twice", seed).isEmpty();
    assertThat(committed).as("seed %d: committed messages", seed).hasSize(PRODUCERS * MESSAGES_PER_PRODUCER);
    assertThat(delivered).as("seed %d: delivered == committed", seed).isEqualTo(committed);
    assertThat(ch.reservedSlots()).as("seed %d: reserved slots left", seed).isZero();
    assertThat(ch.size()).as("seed %d: messages left", seed).isZero();
  }

  private static String describe(ProducerState[] states) {
    StringBuilder sb = new StringBuilder();
    for (ProducerState st : states) {
      sb.append(st.sent).append('/').append(MESSAGES_PER_PRODUCER).append(' ');
    }
    return sb.toString().trim();
  }

  /** True if the task finished its job; false if it was stopped early (to be restarted). */
  private static boolean finished(TaskHandle<Boolean> h, String who, List<String> unexpected) {
    Outcome<Boolean> o = h.outcome().orElseThrow();
    return switch (o) {
      case Outcome.Ok<Boolean> ok -> Boolean.TRUE.equals(ok.value());
      case Outcome.Cancelled<Boolean> c -> false;
      default -> {
        unexpected.add(who + ": " + o);
        yield false;
      }
    };
  }

  /** Turns an Err or Panicked scope into a Panicked task, which the driver reports. */
  private static void failOnBug(Outcome<?> scope) {
    if (scope instanceof Outcome.Err<?> || scope instanceof Outcome.Panicked<?>) {
      throw new AssertionError("scope ended " + scope);
    }
  }

  /** A budget that sometimes carries a short deadline, so scopes also end by deadline. */
  private static Budget maybeDeadline(Cx cx, Random r) {
    return r.nextInt(4) == 0 ? Budget.timeout(cx.now(), Duration.ofMillis(1 + r.nextInt(4))) : Budget.unlimited();
  }

  private TaskHandle<Boolean> spawnProducer(
      Cx cx, MpscChannel<Long> ch, long seed, int p, ProducerState st, Set<Long> committed) {
    return cx.spawn(
        "producer-" + p,
        c -> {
          Random r = new Random(seed * 1_000_003L + p * 7_919L + st.starts++);
          Outcome<Object> o =
              c.scope(
              RegionPolicy.FAIL_FAST,
              maybeDeadline(c, r),
              s -> {
                while (st.sent < MESSAGES_PER_PRODUCER) {
                  long id = ((long) p << 32) | st.nextSeq++;
                  int action = r.nextInt(16);
                  if (action == 0 && ch.trySend(id)) {
                    committed.add(id);
                    st.sent++;
                    continue;
                  }
                  SendPermit<Long> permit = ch.reserve(s);
                  if (action == 1) {
                    permit.abort();
                    aborts.incrementAndGet();
                    continue;
                  }
                  if (action == 2) {
                    s.sleep(Duration.ofNanos(100_000)); // a cancel here leaks the permit
                  }
                  permit.send(id);
                  committed.add(id); // no checkpoint between send and bookkeeping
                  st.sent++;
                }
                return null;
              });
          failOnBug(o);
          return st.sent >= MESSAGES_PER_PRODUCER;
        });
  }

  private TaskHandle<Boolean> spawnConsumer(
      Cx cx, MpscChannel<Long> ch, long seed, int start, Set<Long> delivered, List<Long> duplicates) {
    return cx.spawn(
        "consumer-" + start,
        c -> {
          Random r = new Random(seed * 31L + start);
          Outcome<Boolean> drained =
              c.scope(
                  RegionPolicy.FAIL_FAST,
                  maybeDeadline(c, r),
                  s -> {
                    while (true) {
                      long id;
                      try {
                        id = ch.recv(s);
                      } catch (ChannelClosedException closed) {
                        return true;
                      }
                      if (!delivered.add(id)) {
                        duplicates.add(id); // no checkpoint between recv and bookkeeping
                      }
                    }
                  });
          failOnBug(drained);
          return drained.isOk();
        });
  }
}
