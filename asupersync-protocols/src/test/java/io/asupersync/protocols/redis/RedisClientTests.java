package io.asupersync.protocols.redis;

import static io.asupersync.protocols.redis.RedisTests.await;
import static io.asupersync.protocols.redis.RedisTests.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.Budget;
import io.asupersync.CancelKind;
import io.asupersync.Outcome;
import io.asupersync.RegionPolicy;
import io.asupersync.Runtime;
import io.asupersync.protocols.redis.RespValue.BulkString;
import io.asupersync.testsupport.RedisServerProcess;
import io.asupersync.trace.TraceEvent;
import io.asupersync.trace.TraceKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real redis-server started for this class. */
class RedisClientTests {

  private static RedisServerProcess server;
  private Runtime runtime;

  @BeforeAll
  static void startServer() throws Exception {
    server = RedisServerProcess.start("--user", "app", "on", ">app-secret", "~*", "&*", "+@all");
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void startRuntime() {
    runtime = Runtime.builder().build();
  }

  @AfterEach
  void stopRuntime() {
    runtime.close();
  }

  private RedisClient.Builder client() {
    return RedisClient.builder(runtime).port(server.port());
  }

  @Test
  void stringListAndCounterCommandsRoundTrip() throws Exception {
    try (RedisClient client = client().build()) {
      run(runtime, cx -> {
        client.set(cx, "rt:s", "héllo");
        assertThat(client.get(cx, "rt:s")).isEqualTo("héllo");
        assertThat(client.get(cx, "rt:missing")).isNull();
        client.set(cx, "rt:b", new byte[] {0, 13, 10, -1});
        assertThat(client.getBytes(cx, "rt:b")).containsExactly(0, 13, 10, -1);
        assertThat(client.incr(cx, "rt:n")).isEqualTo(1);
        assertThat(client.incr(cx, "rt:n")).isEqualTo(2);
        assertThat(client.lpush(cx, "rt:l", "a", "b")).isEqualTo(2);
        assertThat(client.rpush(cx, "rt:l", "z")).isEqualTo(3);
        assertThat(client.llen(cx, "rt:l")).isEqualTo(3);
        assertThat(client.rpop(cx, "rt:l")).isEqualTo("z");
        assertThat(client.del(cx, "rt:s", "rt:b", "rt:n", "rt:l", "rt:missing")).isEqualTo(4);
        client.set(cx, "rt:ttl", "v", Duration.ofSeconds(30));
        assertThat(((RespValue.IntegerReply) client.command(cx, "PTTL", "rt:ttl")).value()).isBetween(1L, 30_000L);
        return null;
      });
    }
  }

  @Test
  void errorReplyIsATypedServerExceptionAndTheConnectionStaysInSync() throws Exception {
    try (RedisClient client = client().pool(0, 1).build()) {
      run(runtime, cx -> {
        client.set(cx, "err:s", "text");
        assertThatThrownBy(() -> client.incr(cx, "err:s"))
            .isInstanceOfSatisfying(RedisServerException.class, e -> assertThat(e.code()).isEqualTo("ERR"));
        assertThatThrownBy(() -> client.command(cx, "LPUSH", "err:s", "x"))
            .isInstanceOfSatisfying(RedisServerException.class, e -> assertThat(e.code()).isEqualTo("WRONGTYPE"));
        assertThat(client.get(cx, "err:s")).isEqualTo("text");
        return null;
      });
      assertThat(client.stats().pool().discarded()).isZero();
      assertThat(client.stats().count("INCR", CallResult.ERROR_REPLY)).isEqualTo(1);
    }
  }

  @Test
  void connectionStateCommandsAreRefusedOnPooledConnections() throws Exception {
    try (RedisClient client = client().build()) {
      run(runtime, cx -> {
        for (String name : List.of("SELECT", "SUBSCRIBE", "MULTI", "WATCH", "AUTH", "HELLO")) {
          assertThatThrownBy(() -> client.command(cx, name, "1")).as(name).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> client.command(cx, "CLIENT", "TRACKING", "on")).isInstanceOf(IllegalArgumentException.class);
        return null;
      });
    }
  }

  @Test
  void pipelineWritesOnceAndReturnsRepliesInOrderWithErrorsAsValues() throws Exception {
    try (RedisClient client = client().build()) {
      List<RespValue> replies = run(runtime, cx -> client.pipeline(cx, List.of(
          RedisCommand.of("SET", "pl:a", "1"),
          RedisCommand.of("INCR", "pl:a"),
          RedisCommand.of("LPUSH", "pl:a", "x"),
          RedisCommand.of("GET", "pl:a"))));
      assertThat(replies).hasSize(4);
      assertThat(replies.get(0)).isEqualTo(new RespValue.SimpleString("OK"));
      assertThat(replies.get(1)).isEqualTo(new RespValue.IntegerReply(2));
      assertThat(replies.get(2)).isInstanceOfSatisfying(RespValue.ErrorReply.class, e -> assertThat(e.code()).isEqualTo("WRONGTYPE"));
      assertThat(replies.get(3)).isEqualTo(BulkString.of("2"));
      assertThat(client.stats().count("PIPELINE", CallResult.OK)).isEqualTo(1);
    }
  }

  @Test
  void transactionRunsAtomicallyAndRefusesAsAWholeOnAQueueingError() throws Exception {
    try (RedisClient client = client().build()) {
      run(runtime, cx -> {
        List<RespValue> exec = client.transaction(cx, List.of(
            RedisCommand.of("SET", "tx:a", "1"), RedisCommand.of("INCRBY", "tx:a", 41), RedisCommand.of("GET", "tx:a")));
        assertThat(exec).containsExactly(new RespValue.SimpleString("OK"), new RespValue.IntegerReply(42), BulkString.of("42"));
        assertThatThrownBy(() -> client.transaction(cx, List.of(RedisCommand.of("SET", "tx:b", "1"), RedisCommand.of("NOSUCHCOMMAND"))))
            .isInstanceOfSatisfying(RedisServerException.class, e -> assertThat(e.code()).isEqualTo("EXECABORT"));
        assertThat(client.get(cx, "tx:b")).isNull();
        return null;
      });
    }
  }

  @Test
  void watchOnADedicatedConnectionAbortsTheTransactionWhenTheKeyChanged() throws Exception {
    try (RedisClient client = client().pool(0, 2).build()) {
      RespValue exec = run(runtime, cx -> client.dedicated(cx, conn -> {
        conn.command(cx, "WATCH", "w:k");
        client.set(cx, "w:k", "changed by someone else"); // on the other pooled connection
        conn.command(cx, "MULTI");
        assertThat(conn.command(cx, "SET", "w:k", "mine")).isEqualTo(new RespValue.SimpleString("QUEUED"));
        return conn.command(cx, "EXEC");
      }));
      assertThat(exec).isEqualTo(RespValue.NullReply.INSTANCE);
      run(runtime, cx -> {
        assertThat(client.get(cx, "w:k")).isEqualTo("changed by someone else");
        return null;
      });
    }
  }

  @Test
  void dedicatedBodyLeftInsideMultiIsDiscardedBeforeTheConnectionIsReused() throws Exception {
    try (RedisClient client = client().pool(0, 1).build()) {
      run(runtime, cx -> {
        assertThatThrownBy(() -> client.dedicated(cx, conn -> {
          conn.command(cx, "MULTI");
          conn.command(cx, "SET", "dm:k", "never");
          throw new IllegalStateException("body failed mid-transaction");
        })).isInstanceOf(IllegalStateException.class);
        // The same (only) connection serves this: not queued into the abandoned MULTI.
        client.set(cx, "dm:other", "v");
        assertThat(client.get(cx, "dm:k")).isNull();
        assertThat(client.get(cx, "dm:other")).isEqualTo("v");
        return null;
      });
      assertThat(client.stats().pool().created()).isEqualTo(1);
    }
  }

  @Test
  void aclCredentialsAuthenticateAndAreNeverTraced() throws Exception {
    try (RedisClient client = client().credentials("app", "app-secret").build()) {
      String who = run(runtime, cx -> client.command(cx, "ACL", "WHOAMI").asString());
      assertThat(who).isEqualTo("app");
    }
    try (RedisClient wrong = client().credentials("app", "wrong-secret").build()) {
      run(runtime, cx -> {
        assertThatThrownBy(() -> wrong.get(cx, "k"))
            .isInstanceOf(RedisConnectionException.class)
            .cause().isInstanceOfSatisfying(RedisServerException.class, e -> assertThat(e.code()).isEqualTo("WRONGPASS"))
            .hasMessageNotContaining("wrong-secret");
        return null;
      });
    }
    assertThat(runtime.trace().events()).noneMatch(e -> e.toString().contains("secret"));
  }

  @Test
  void databaseIsSelectedOnEveryConnection() throws Exception {
    try (RedisClient db3 = client().database(3).pool(0, 2).build(); RedisClient db0 = client().build()) {
      run(runtime, cx -> {
        db3.set(cx, "db:k", "three");
        assertThat(db0.get(cx, "db:k")).isNull();
        assertThat(db3.get(cx, "db:k")).isEqualTo("three");
        return null;
      });
    }
  }

  @Test
  void respThreeGivesTypedRepliesAndRoutesPushFramesOutOfBand() throws Exception {
    ConcurrentLinkedQueue<RespValue.PushReply> pushes = new ConcurrentLinkedQueue<>();
    try (RedisClient client = client().resp3(true).onPush(pushes::add).pool(0, 2).build()) {
      run(runtime, cx -> {
        client.command(cx, "HSET", "r3:h", "f", "v");
        assertThat(client.command(cx, "HGETALL", "r3:h"))
            .isEqualTo(new RespValue.MapReply(Map.of(BulkString.of("f"), BulkString.of("v"))));
        assertThat(client.command(cx, "ZADD", "r3:z", "1.5", "m")).isEqualTo(new RespValue.IntegerReply(1));
        assertThat(client.command(cx, "ZSCORE", "r3:z", "m")).isEqualTo(new RespValue.DoubleReply(1.5));
        client.dedicated(cx, conn -> {
          conn.command(cx, "CLIENT", "TRACKING", "ON");
          conn.command(cx, "GET", "r3:tracked");
          client.set(cx, "r3:tracked", "changed"); // invalidates what the dedicated connection read
          await("the invalidation push arrived", () -> !pushes.isEmpty());
          // The push did not take the place of a reply: the next command gets its own.
          assertThat(conn.command(cx, "GET", "r3:tracked")).isEqualTo(BulkString.of("changed"));
          return null;
        });
        return null;
      });
      assertThat(pushes.peek().kind()).isEqualTo("invalidate");
      assertThat(client.stats().pushes()).isEqualTo(pushes.size());
    }
  }

  @Test
  void subscriberDeliversPublishedMessagesIntoItsChannel() throws Exception {
    for (boolean resp3 : List.of(false, true)) {
      try (RedisClient client = client().resp3(resp3).build()) {
        List<PubSubMessage> got = run(runtime, cx -> {
          try (RedisSubscription sub = client.subscriber(cx)) {
            sub.subscribe(cx, "ps:news");
            sub.psubscribe(cx, "ps:evt.*");
            client.command(cx, "PUBLISH", "ps:news", "hello");
            client.command(cx, "PUBLISH", "ps:evt.created", "it");
            client.command(cx, "PUBLISH", "ps:ignored", "no");
            return List.of(sub.receive(cx), sub.receive(cx));
          }
        });
        assertThat(got).as("resp3=%s", resp3).containsExactly(
            new PubSubMessage("ps:news", null, "hello".getBytes()),
            new PubSubMessage("ps:evt.created", "ps:evt.*", "it".getBytes()));
      }
    }
  }

  @Test
  void subscriberThatFallsBehindPausesReadingAndLosesNothing() throws Exception {
    int messages = RedisSubscription.CAPACITY * 3;
    try (RedisClient client = client().build()) {
      int received = run(runtime, cx -> {
        try (RedisSubscription sub = client.subscriber(cx)) {
          sub.subscribe(cx, "bp:ch");
          List<RedisCommand> publishes = new java.util.ArrayList<>();
          for (int i = 0; i < messages; i++) {
            publishes.add(RedisCommand.of("PUBLISH", "bp:ch", Integer.toString(i)));
          }
          client.pipeline(cx, publishes);
          for (int i = 0; i < messages; i++) {
            assertThat(sub.receive(cx).text()).isEqualTo(Integer.toString(i));
          }
          return messages;
        }
      });
      assertThat(received).isEqualTo(messages);
      assertThat(client.stats().messages()).isEqualTo(messages);
    }
  }

  @Test
  void acquireWaitsOnlyAsLongAsTheCallersBudget() throws Exception {
    try (RedisClient client = client().pool(0, 1).build()) {
      Outcome<Object> outcome = runtime.run(cx -> client.dedicated(cx, conn -> cx.scope(RegionPolicy.FAIL_FAST,
          Budget.timeout(cx.now(), Duration.ofMillis(100)), c -> client.get(c, "k")).orThrow()));
      assertThat(outcome).isInstanceOfSatisfying(Outcome.Cancelled.class,
          c -> assertThat(c.reason().kind()).isEqualTo(CancelKind.DEADLINE));
      assertThat(client.stats().pool()).satisfies(p -> {
        assertThat(p.leased()).isZero();
        assertThat(p.waiting()).isZero();
        assertThat(p.open()).isEqualTo(1);
      });
    }
  }

  @Test
  void poolKeepsItsMinimumAndClosesIdleConnectionsBeyondIt() throws Exception {
    try (RedisClient client = client().pool(2, 4).idleTimeout(Duration.ofMillis(200)).build()) {
      await("the minimum is opened in the background", () -> client.stats().pool().idle() == 2);
      java.util.concurrent.atomic.AtomicInteger holding = new java.util.concurrent.atomic.AtomicInteger();
      run(runtime, cx -> {
        // Four callers that each hold a connection until all four do need four connections.
        cx.scope(s -> {
          for (int i = 0; i < 4; i++) {
            s.spawn(c -> client.dedicated(c, conn -> {
              conn.command(c, "PING");
              holding.incrementAndGet();
              await("all four hold a connection", () -> holding.get() == 4);
              return null;
            }));
          }
          return null;
        }).orThrow();
        return null;
      });
      assertThat(client.stats().pool().open()).isEqualTo(4);
      await("idle connections beyond the minimum are closed", () -> client.stats().pool().open() == 2);
    }
  }

  @Test
  void brokenConnectionsAreFoundByTheHealthCheckAndReplaced() throws Exception {
    try (RedisClient client = client().pool(1, 2).healthCheckInterval(Duration.ofMillis(50)).build();
        RedisClient admin = client().build()) {
      await("the pool holds one idle connection", () -> client.stats().pool().idle() == 1);
      run(runtime, cx -> admin.command(cx, "CLIENT", "KILL", "SKIPME", "yes", "TYPE", "normal"));
      await("the killed connection was discarded and replaced",
          () -> client.stats().pool().discarded() >= 1 && client.stats().pool().idle() == 1);
      run(runtime, cx -> {
        client.set(cx, "hc:k", "v");
        return null;
      });
    }
  }

  @Test
  void healthCheckOnAcquireReplacesAConnectionThatDiedWhileIdle() throws Exception {
    try (RedisClient client = client().pool(0, 2).healthCheckOnAcquire(true).healthCheckInterval(null).build();
        RedisClient admin = client().build()) {
      run(runtime, cx -> {
        client.set(cx, "hoa:k", "v");
        admin.command(cx, "CLIENT", "KILL", "SKIPME", "yes", "TYPE", "normal");
        assertThat(client.get(cx, "hoa:k")).isEqualTo("v");
        return null;
      });
      assertThat(client.stats().pool().discarded()).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void everyCallIsTracedWithItsCommandNameOnly() throws Exception {
    try (RedisClient client = client().build()) {
      run(runtime, cx -> {
        client.set(cx, "tr:key-name", "tr-value");
        return null;
      });
      List<TraceEvent> calls = runtime.trace().events(e -> e.kind() == TraceKind.CLIENT_CALL, 100);
      assertThat(calls).anySatisfy(e -> assertThat(e.attributes())
          .isEqualTo(Map.of("protocol", "redis", "operation", "SET", "result", "ok")));
      assertThat(calls).noneMatch(e -> e.toString().contains("tr:key-name") || e.toString().contains("tr-value"));
      assertThat(client.stats().count("SET", CallResult.OK)).isEqualTo(1);
      assertThat(client.stats().count("CONNECT", CallResult.OK)).isEqualTo(1);
    }
  }
}
