package io.asupersync.lab.conformance;

import io.asupersync.CancelKind;
import io.asupersync.CancelReason;
import io.asupersync.Obligation;
import io.asupersync.ObligationKind;
import io.asupersync.ObligationState;
import io.asupersync.TaskBody;
import io.asupersync.TaskHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Application-style workloads shared by the suites that compare whole runs. */
final class Workloads {

  private Workloads() {}

  /**
   * Four workers interleave checkpoints, random sleeps and obligations, and log what they see; a
   * supervisor cancels one of them at a random moment.
   */
  static final TaskBody<List<String>> MIXED = cx -> {
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    cx.scope(s -> {
      List<TaskHandle<Void>> workers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        String name = "worker" + w;
        workers.add(s.spawn(name, c -> {
          for (int i = 0; i < 4; i++) {
            c.checkpoint();
            if (c.random().nextBoolean()) {
              c.sleep(Duration.ofMillis(c.random().nextInt(3)));
            }
            log.add(name + ":" + i + "@" + c.now().toEpochMilli() % 1000);
          }
          Obligation ack = c.reserve(ObligationKind.ACK, "ack from " + name);
          try {
            c.checkpoint();
            if (c.random().nextInt(3) == 0) {
              ack.abort();
            } else {
              ack.commit();
            }
          } finally {
            if (ack.state() == ObligationState.RESERVED) {
              ack.abort();
            }
          }
          return null;
        }));
      }
      s.spawn("supervisor", c -> {
        c.sleep(Duration.ofMillis(c.random().nextInt(4)));
        workers.get(c.random().nextInt(4)).cancel(CancelReason.from(c, CancelKind.USER, "rebalance"));
        return null;
      });
      return null;
    });
    return log;
  };

  /**
   * A cache refresh with a check-then-act race: two refreshers read the version, yield, and write
   * version + 1; a refresher that sees its write overtaken reports it by failing an assertion. Fails on
   * a minority of schedules.
   */
  static final TaskBody<Integer> LOST_UPDATE = cx -> cx.spawn("refresh job", job -> {
    int[] version = {0};
    job.scope(s -> {
      for (int r = 0; r < 2; r++) {
        s.spawn("refresher" + r, c -> {
          c.sleep(Duration.ofMillis(c.random().nextInt(2)));
          int seen = version[0];
          c.checkpoint();
          version[0] = seen + 1;
          return null;
        });
      }
      return null;
    }).orThrow();
    if (version[0] != 2) {
      throw new IllegalStateException("lost update: version is " + version[0] + " after two refreshes");
    }
    return version[0];
  }).join(cx).orThrow();

  /** Two workers that only checkpoint: many interleavings, few orders of events that matter. */
  static final TaskBody<Void> INDEPENDENT_COUNTERS = cx -> {
    for (int w = 0; w < 2; w++) {
      cx.spawn("counter" + w, c -> {
        int n = 0;
        for (int i = 0; i < 8; i++) {
          c.checkpoint();
          n++;
        }
        return n;
      });
    }
    return null;
  };
}
