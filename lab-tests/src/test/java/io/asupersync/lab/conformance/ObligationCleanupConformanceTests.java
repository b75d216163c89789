package io.asupersync.lab.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Budget;
import io.asupersync.CancelKind;
import io.asupersync.CancelReason;
import io.asupersync.Cx;
import io.asupersync.Obligation;
import io.asupersync.ObligationKind;
import io.asupersync.ObligationState;
import io.asupersync.Outcome;
import io.asupersync.RegionPolicy;
import io.asupersync.TaskHandle;
import io.asupersync.channel.ChannelClosedException;
import io.asupersync.channel.MpscChannel;
import io.asupersync.channel.SendPermit;
import io.asupersync.lab.FaultPreset;
import io.asupersync.lab.junit.LabTest;
import io.asupersync.sync.Mutex;
import io.asupersync.sync.Semaphore;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Obligation cleanup: every reservation (a transaction, a channel send permit, a semaphore permit, a
 * mutex guard) ends committed or aborted on every path (success, a declared failure, cancellation at
 * any yield point), and what it held is given back.
 */
class ObligationCleanupConformanceTests {

  static final int SEEDS = 1_000;

  /** Reserves a transaction, works, and commits, aborts on a business error, or aborts when cancelled. */
  private static String handle(Cx c, int request, List<Obligation> ledger, AtomicInteger rolledBack) throws IOException {
    Obligation tx = c.reserve(ObligationKind.TRANSACTION, "request " + request, rolledBack::incrementAndGet);
    ledger.add(tx);
    try {
      c.sleep(Duration.ofMillis(c.random().nextInt(4)));
      if (c.random().nextInt(4) == 0) {
        throw new IOException("request " + request + " rejected");
      }
      c.checkpoint();
      tx.commit();
      return "ok " + request;
    } finally {
      if (tx.state() == ObligationState.RESERVED) {
        tx.abort();
      }
    }
  }

  @LabTest(runs = SEEDS)
  void transactionsEndCommittedOrAbortedOnSuccessFailureAndCancellation(Cx cx) {
    transactionsSettle(cx);
  }

  @LabTest(runs = SEEDS, faults = FaultPreset.HEAVY)
  void transactionsSettleUnderHeavyFaults(Cx cx) {
    transactionsSettle(cx);
  }

  private static void transactionsSettle(Cx cx) {
    List<Obligation> ledger = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger rolledBack = new AtomicInteger();
    List<TaskHandle<String>> handlers = new ArrayList<>();
    cx.scope(RegionPolicy.COLLECT_ALL, Budget.unlimited(), s -> {
      for (int r = 0; r < 4; r++) {
        int request = r;
        handlers.add(s.spawn("handler" + r, c -> handle(c, request, ledger, rolledBack)));
      }
      s.spawn("client", c -> {
        c.sleep(Duration.ofMillis(c.random().nextInt(4)));
        handlers.get(c.random().nextInt(4)).cancel(CancelReason.from(c, CancelKind.USER, "client disconnected"));
        return null;
      });
      return null;
    });
    long committed = ledger.stream().filter(o -> o.state() == ObligationState.COMMITTED).count();
    long aborted = ledger.stream().filter(o -> o.state() == ObligationState.ABORTED).count();
    assertThat(committed + aborted).isEqualTo(ledger.size());
    assertThat(rolledBack).hasValue((int) aborted);
    long ok = handlers.stream().filter(h -> h.outcome().orElseThrow().isOk()).count();
    assertThat(committed).isEqualTo(ok);
  }

  /**
   * Producers reserve a slot, prepare the message, then send; a producer cancelled in between aborts
   * its permit. A consumer that stops (cancelled) closes the channel so producers do not wait for it
   * forever. Every committed message is received or left queued, none twice, and the channel ends with
   * no slot held.
   */
  private static void producersSettleEveryPermit(Cx cx) throws Exception {
    MpscChannel<String> orders = MpscChannel.bounded(2);
    AtomicInteger sent = new AtomicInteger();
    List<String> received = new ArrayList<>();
    List<TaskHandle<Void>> producers = new ArrayList<>();
    cx.scope(RegionPolicy.COLLECT_ALL, Budget.unlimited(), s -> {
      TaskHandle<Void> consumer = s.spawn("consumer", c -> {
        try {
          while (true) {
            received.add(orders.recv(c));
          }
        } catch (ChannelClosedException closed) {
          return null;
        } finally {
          orders.close();
        }
      });
      for (int p = 0; p < 3; p++) {
        String name = "producer" + p;
        producers.add(s.spawn(name, c -> {
          for (int i = 0; i < 3; i++) {
            SendPermit<String> permit = orders.reserve(c);
            try {
              c.sleep(Duration.ofMillis(c.random().nextInt(3))); // price the order
              permit.send(name + "#" + i);
              sent.incrementAndGet();
            } finally {
              if (permit.state() == ObligationState.RESERVED) {
                permit.abort();
              }
            }
          }
          return null;
        }));
      }
      s.spawn("canceller", c -> {
        c.sleep(Duration.ofMillis(c.random().nextInt(6)));
        producers.get(c.random().nextInt(3)).cancel(CancelReason.from(c, CancelKind.USER, "shed load"));
        return null;
      });
      for (TaskHandle<Void> producer : producers) {
        producer.join(s);
      }
      orders.close();
      consumer.join(s);
      return null;
    });
    assertThat(orders.reservedSlots()).isZero();
    try {
      for (String left = orders.tryRecv(); left != null; left = orders.tryRecv()) {
        received.add(left);
      }
    } catch (ChannelClosedException drained) {
      // nothing left
    }
    assertThat(received).hasSize(sent.get()).doesNotHaveDuplicates();
  }

  @LabTest(runs = SEEDS)
  void channelPermitsAreSentOrAbortedWhenProducersAreCancelled(Cx cx) throws Exception {
    producersSettleEveryPermit(cx);
  }

  @LabTest(runs = SEEDS, faults = FaultPreset.LIGHT)
  void channelPermitsSettleUnderLightFaults(Cx cx) throws Exception {
    producersSettleEveryPermit(cx);
  }

  @LabTest(runs = SEEDS, faults = FaultPreset.HEAVY)
  void channelPermitsSettleUnderHeavyFaults(Cx cx) throws Exception {
    producersSettleEveryPermit(cx);
  }

  @SuppressWarnings("try") // the permit and the guard are held for their scope, not referenced
  @LabTest(runs = SEEDS)
  void semaphorePermitsAndMutexGuardsAreGivenBackWhenHoldersAreCancelled(Cx cx) {
    Semaphore connections = new Semaphore(2);
    Mutex stats = new Mutex();
    AtomicInteger inUse = new AtomicInteger();
    List<TaskHandle<Void>> queries = new ArrayList<>();
    Outcome<Object> outcome = cx.scope(RegionPolicy.COLLECT_ALL, Budget.unlimited(), s -> {
      for (int q = 0; q < 4; q++) {
        queries.add(s.spawn("query" + q, c -> {
          try (Semaphore.Permit connection = connections.acquire(c)) {
            assertThat(inUse.incrementAndGet()).isLessThanOrEqualTo(2);
            try {
              c.sleep(Duration.ofMillis(1 + c.random().nextInt(3)));
              try (Mutex.Guard guard = stats.lock(c)) {
                c.checkpoint();
              }
            } finally {
              inUse.decrementAndGet();
            }
          }
          return null;
        }));
      }
      s.sleep(Duration.ofMillis(s.random().nextInt(4)));
      queries.get(s.random().nextInt(4)).cancel(CancelReason.from(s, CancelKind.USER, "query timeout"));
      return null;
    });
    assertThat(outcome.isOk()).isTrue();
    assertThat(connections.availablePermits()).isEqualTo(2);
    assertThat(stats.isLocked()).isFalse();
  }
}
