package io.asupersync.protocols.redis;

import static io.asupersync.protocols.redis.RedisTests.await;
import static io.asupersync.protocols.redis.RedisTests.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Budget;
import io.asupersync.CancelKind;
import io.asupersync.CancelReason;
import io.asupersync.Cx;
import io.asupersync.LeakResponse;
import io.asupersync.ObligationState;
import io.asupersync.Outcome;
import io.asupersync.RegionPolicy;
import io.asupersync.Runtime;
import io.asupersync.TaskBody;
import io.asupersync.TaskHandle;
import io.asupersync.testsupport.RedisServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cancel-correctness against a real redis-server: operations under random deadlines, then checks that
 * nothing committed was lost, nothing taken was lost, no connection leaked and every obligation was
 * settled.
 */
class RedisCancellationTests {

  private static RedisServerProcess server;
  private Runtime runtime;

  @BeforeAll
  static void startServer() throws Exception {
    server = RedisServerProcess.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void startRuntime() {
    runtime = Runtime.builder().leakResponse(LeakResponse.PANIC).build();
  }

  @AfterEach
  void stopRuntime() {
    runtime.close();
  }

  /** Runs {@code body} under a deadline drawn from 0 to 3 ms (a quarter of the calls get none). */
  private static <T> Outcome<T> underRandomDeadline(Cx cx, TaskBody<T> body) {
    RandomGenerator random = cx.random();
    Budget budget = random.nextInt(4) == 0
        ? Budget.unlimited()
        : Budget.timeout(cx.now(), Duration.ofNanos(random.nextLong(3_000_000)));
    return cx.scope(RegionPolicy.FAIL_FAST, budget, body);
  }

  private static void awaitPoolSettled(RedisClient client) {
    await("every connection is back in the pool", () -> {
      RedisStats.PoolStats p = client.stats().pool();
      return p.leased() == 0 && p.waiting() == 0 && p.idle() == p.open();
    });
  }

  @Test
  void randomCancelsLoseNoCommittedWriteNoPoppedElementAndLeakNothing() throws Exception {
    int workers = 8;
    int opsPerWorker = 300;
    int listItems = 400;
    Map<String, String> committed = new ConcurrentHashMap<>();
    Set<String> streamCommitted = ConcurrentHashMap.newKeySet();
    Set<String> popped = ConcurrentHashMap.newKeySet();
    try (RedisClient client = RedisClient.builder(runtime).port(server.port()).pool(0, 4)
        .settleTimeout(Duration.ofSeconds(5)).build()) {
      run(runtime, cx -> {
        List<RedisCommand> fill = new ArrayList<>();
        for (int i = 0; i < listItems; i++) {
          fill.add(RedisCommand.of("LPUSH", "rc:list", "item-" + i));
        }
        client.pipeline(cx, fill);
        client.xgroupCreate(cx, "rc:stream", "g", "$");
        return null;
      });
      run(runtime, cx -> cx.scope(s -> {
        for (int w = 0; w < workers; w++) {
          int worker = w;
          s.spawn("worker-" + w, c -> {
            for (int op = 0; op < opsPerWorker; op++) {
              int i = op;
              String key = "rc:" + worker + ":" + i;
              switch (i % 4) {
                case 0 -> {
                  if (underRandomDeadline(c, b -> {
                    client.set(b, key, "v" + i);
                    return null;
                  }).isOk()) {
                    committed.put(key, "v" + i);
                  }
                }
                case 1 -> {
                  if (underRandomDeadline(c, b -> client.transaction(b, List.of(
                      RedisCommand.of("SET", key, "t" + i), RedisCommand.of("INCR", "rc:counter")))).isOk()) {
                    committed.put(key, "t" + i);
                  }
                }
                case 2 -> {
                  if (underRandomDeadline(c, b -> client.xadd(b, "rc:stream", Map.of("key", key))).isOk()) {
                    streamCommitted.add(key);
                  }
                }
                default -> {
                  Outcome<String> got = underRandomDeadline(c, b -> client.rpop(b, "rc:list"));
                  if (got instanceof Outcome.Ok<String> ok && ok.value() != null) {
                    assertThat(popped.add(ok.value())).as("popped twice: %s", ok.value()).isTrue();
                  }
                }
              }
            }
            return null;
          });
        }
        return null;
      }).orThrow());

      awaitPoolSettled(client);
      RedisStats stats = client.stats();
      assertThat(stats.total(CallResult.CANCELLED_BEFORE_SEND)).as("calls cancelled before the flush").isPositive();
      assertThat(stats.total(CallResult.CANCELLED_AFTER_SEND)).as("calls cancelled after the flush").isPositive();
      assertThat(stats.total(CallResult.OUTCOME_UNKNOWN)).isZero();

      Set<String> seen = ConcurrentHashMap.newKeySet();
      run(runtime, cx -> {
        for (Map.Entry<String, String> e : committed.entrySet()) {
          assertThat(client.get(cx, e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
        // Every list item was either popped by a caller that got it, or is still in the list: never both, never neither.
        List<String> left = new ArrayList<>();
        for (RespValue v : client.command(cx, "LRANGE", "rc:list", 0, -1).elements()) {
          left.add(v.asString());
        }
        Set<String> all = new HashSet<>(popped);
        all.addAll(left);
        assertThat(all).hasSize(listItems);
        assertThat(popped.size() + left.size()).isEqualTo(listItems);
        return null;
      });

      // Consumers under random deadlines; a delivery not acknowledged is aborted and stays pending.
      run(runtime, cx -> cx.scope(s -> {
        for (int w = 0; w < 4; w++) {
          String consumer = "consumer-" + w;
          s.spawn(consumer, c -> {
            for (int i = 0; i < 150; i++) {
              underRandomDeadline(c, b -> {
                List<StreamDelivery> batch = client.xreadgroup(b, "g", consumer, "rc:stream", 5, Duration.ofMillis(2));
                try {
                  for (StreamDelivery d : batch) {
                    seen.add(d.field("key"));
                    d.ack(b);
                  }
                } finally {
                  // Whatever was not acknowledged (the deadline hit mid-batch) stays pending for a later reader.
                  for (StreamDelivery d : batch) {
                    if (d.state() == ObligationState.RESERVED) {
                      d.abort();
                    }
                  }
                }
                return null;
              });
            }
            return null;
          });
        }
        return null;
      }).orThrow());
      awaitPoolSettled(client);
      // A later reader reclaims what is still pending (aborted, or delivered to a read that was cancelled).
      run(runtime, cx -> {
        List<StreamDelivery> reclaimed;
        do {
          reclaimed = client.xautoclaim(cx, "rc:stream", "g", "sweeper", Duration.ZERO, 100);
          for (StreamDelivery d : reclaimed) {
            seen.add(d.field("key"));
            d.ack(cx);
          }
        } while (!reclaimed.isEmpty());
        List<StreamDelivery> fresh;
        do {
          fresh = client.xreadgroup(cx, "g", "sweeper", "rc:stream", 100, Duration.ofMillis(10));
          for (StreamDelivery d : fresh) {
            seen.add(d.field("key"));
            d.ack(cx);
          }
        } while (!fresh.isEmpty());
        assertThat(((RespValue.IntegerReply) client.command(cx, "XPENDING", "rc:stream", "g").elements().get(0)).value()).isZero();
        return null;
      });
      assertThat(seen).containsAll(streamCommitted);

      awaitPoolSettled(client);
      assertThat(runtime.snapshot().obligations()).isEmpty();
      assertThat(runtime.snapshot().counters().obligationsLeaked()).isZero();
      assertThat(client.stats().total(CallResult.OUTCOME_UNKNOWN)).isZero();
    }
  }

  private static long llen(RedisClient client, Cx cx, String key) throws RedisException {
    return client.llen(cx, key);
  }

  private long blockedClients(RedisClient admin) {
    String info;
    try {
      info = run(runtime, cx -> admin.command(cx, "INFO", "clients").asString());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    for (String line : info.split("\r\n")) {
      if (line.startsWith("blocked_clients:")) {
        return Long.parseLong(line.substring("blocked_clients:".length()).trim());
      }
    }
    throw new AssertionError("no blocked_clients in INFO");
  }

  @Test
  void cancelledBlockingPopKeepsItsElement() throws Exception {
    for (boolean resp3 : List.of(false, true)) {
      cancelledBlockingPopKeepsItsElement(resp3);
    }
  }

  private void cancelledBlockingPopKeepsItsElement(boolean resp3) throws Exception {
    try (RedisClient client = RedisClient.builder(runtime).port(server.port()).resp3(resp3)
            .settleTimeout(Duration.ofSeconds(30)).build();
        RedisClient admin = RedisClient.builder(runtime).port(server.port()).build()) {
      // Cancelled while the server holds it blocked: the wait is unblocked, so the element pushed
      // afterwards is not swallowed by a pop nobody is waiting for any more.
      TaskHandle<Outcome<ListLease>> popper = runtime.spawn("popper",
          cx -> client.reliablePop(cx, "bp:src", "bp:processing", Duration.ofSeconds(20)));
      await("the pop is blocked on the server", () -> blockedClients(admin) == 1);
      popper.cancel(CancelReason.of(CancelKind.USER, "no longer needed"));
      await("the popper ended", popper::isDone);
      // runtime.spawn runs the body in a scope of its own: the scope's outcome is the task's value.
      assertThat(popper.outcome().orElseThrow()).isInstanceOfSatisfying(Outcome.Ok.class,
          ok -> assertThat(ok.value()).isInstanceOf(Outcome.Cancelled.class));
      await("the server-side wait was woken", () -> blockedClients(admin) == 0);
      awaitPoolSettled(client);
      assertThat(client.stats().pool().discarded()).as("settled, not discarded").isZero();
      assertThat(client.stats().count("BLMOVE", CallResult.CANCELLED_AFTER_SEND)).as("%s", client.stats()).isEqualTo(1);
      assertThat(client.stats().count("CLIENT", CallResult.OK)).as("CLIENT UNBLOCK").isPositive();
      run(runtime, cx -> {
        client.lpush(cx, "bp:src", "precious");
        assertThat(llen(client, cx, "bp:src")).isEqualTo(1);
        assertThat(llen(client, cx, "bp:processing")).isZero();
        // The next pop gets it, and committing the lease consumes it.
        ListLease lease = client.reliablePop(cx, "bp:src", "bp:processing", Duration.ofSeconds(1));
        assertThat(lease.text()).isEqualTo("precious");
        assertThat(llen(client, cx, "bp:processing")).isEqualTo(1);
        lease.commit(cx);
        assertThat(llen(client, cx, "bp:processing")).isZero();
        assertThat(llen(client, cx, "bp:src")).isZero();
        return null;
      });
    }
  }

  @Test
  void blockingPopCancelledAsTheElementArrivesNeverLosesIt() throws Exception {
    int rounds = 40;
    try (RedisClient client = RedisClient.builder(runtime).port(server.port()).pool(0, 2).build();
        RedisClient admin = RedisClient.builder(runtime).port(server.port()).build()) {
      int consumed = 0;
      for (int round = 0; round < rounds; round++) {
        String element = "e" + round;
        java.util.concurrent.atomic.AtomicBoolean committedByPopper = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean commitTried = new java.util.concurrent.atomic.AtomicBoolean();
        TaskHandle<Outcome<Boolean>> popper = runtime.spawn("popper", cx -> {
          ListLease lease = client.reliablePop(cx, "race:src", "race:processing", Duration.ofSeconds(10));
          if (lease == null) {
            return false;
          }
          try {
            commitTried.set(true);
            lease.commit(cx);
            committedByPopper.set(true);
          } finally {
            if (lease.state() == ObligationState.RESERVED) {
              lease.abort();
            }
          }
          return true;
        });
        await("the pop is blocked on the server", () -> blockedClients(admin) == 1);
        // The element and the cancel race: either the popper gets and commits it, or it ends up back in the source.
        run(runtime, cx -> client.lpush(cx, "race:src", element));
        popper.cancel(CancelReason.of(CancelKind.USER, "race"));
        await("the popper ended", popper::isDone);
        if (committedByPopper.get()) {
          consumed++;
        }
        // A commit cancelled after its LREM was flushed may have consumed the element or given it back;
        // otherwise the outcome is exact. Never is it left in the processing list or gone without a commit.
        await("the element is back in the source or consumed", () -> {
          try {
            return run(runtime, cx -> {
              long src = llen(client, cx, "race:src");
              boolean settled = llen(client, cx, "race:processing") == 0;
              if (committedByPopper.get()) {
                return settled && src == 0;
              }
              return settled && (src == 1 || (commitTried.get() && src == 0));
            });
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
        run(runtime, cx -> client.del(cx, "race:src"));
        awaitPoolSettled(client);
      }
      assertThat(runtime.snapshot().obligations()).isEmpty();
      assertThat(runtime.snapshot().counters().obligationsLeaked()).isZero();
      System.getLogger(getClass().getName()).log(System.Logger.Level.INFO,
          "race rounds: " + consumed + " consumed by the popper, " + (rounds - consumed) + " given back");
    }
  }
}
