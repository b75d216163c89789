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
import io.asupersync.protocols.redis.FakeRedisServer.Reply;
import io.asupersync.protocols.redis.RespProtocolException.Reason;
import io.asupersync.trace.TraceEvent;
import io.asupersync.trace.TraceKind;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A fake server on loopback answers GET with something hostile and every SET with +OK. Each hostile
 * reply must end in a typed error for the GET, bounded memory, the connection discarded, and the pool
 * serving the SET that follows on a fresh connection.
 */
class RedisHostileServerTests {

  /** Small enough that hitting them costs nothing; the defaults are tested the same way in RespDecoderTests. */
  private static final RedisLimits LIMITS = RedisLimits.defaults().withMaxLineBytes(1024);

  private Runtime runtime;

  @BeforeEach
  void start() {
    runtime = Runtime.builder().build();
  }

  @AfterEach
  void stop() {
    runtime.close();
  }

  private static Function<List<String>, @Nullable Reply> getAnswers(Reply hostile) {
    return cmd -> cmd.get(0).equalsIgnoreCase("GET") ? hostile : Reply.of("+OK\r\n");
  }

  private RedisClient client(FakeRedisServer server) {
    return RedisClient.builder(runtime).port(server.port()).limits(LIMITS).pool(0, 2)
        .settleTimeout(Duration.ofMillis(300)).build();
  }

  /** GET fails as outcome unknown caused by {@code reason}; then SET works on a new connection. */
  private void assertRefusedThenServing(Reply hostile, Reason reason) throws Exception {
    try (FakeRedisServer server = new FakeRedisServer(getAnswers(hostile)); RedisClient client = client(server)) {
      run(runtime, cx -> {
        assertThatThrownBy(() -> client.get(cx, "k"))
            .isInstanceOfSatisfying(RedisOutcomeUnknownException.class, e -> assertThat(e.getCause())
                .isInstanceOfSatisfying(RespProtocolException.class, p -> assertThat(p.reason()).isEqualTo(reason)));
        client.set(cx, "k", "v");
        return null;
      });
      assertThat(server.connections.get()).as("the refused connection was replaced").isEqualTo(2);
      await("the pool has settled", () -> client.stats().pool().leased() == 0 && client.stats().pool().idle() == 1);
      RedisStats stats = client.stats();
      assertThat(stats.pool().discarded()).isEqualTo(1);
      assertThat(stats.count("GET", CallResult.OUTCOME_UNKNOWN)).isEqualTo(1);
      assertThat(stats.count("SET", CallResult.OK)).isEqualTo(1);
      assertThat(client.peakAllocatedBytes()).as("decoder allocation").isLessThan(4096);
      assertThat(client.peakBufferedBytes()).as("cumulation buffer").isLessThanOrEqualTo(64 * 1024);
      TraceKind expected = reason.isLimit() ? TraceKind.LIMIT_EXCEEDED : TraceKind.PROTOCOL_ERROR;
      List<TraceEvent> events = runtime.trace().events(e -> e.kind() == expected, 10);
      assertThat(events).singleElement().satisfies(e ->
          assertThat(e.attributes()).containsEntry("protocol", "redis").containsEntry("reason", reason.name().toLowerCase(java.util.Locale.ROOT)));
    }
  }

  @Test
  void hugeAnnouncedLengthIsRefusedWithoutAllocatingIt() throws Exception {
    assertRefusedThenServing(Reply.of("$1073741824\r\n"), Reason.BULK_TOO_LARGE);
  }

  @Test
  void hugeAnnouncedArrayIsRefusedWithoutAllocatingIt() throws Exception {
    assertRefusedThenServing(Reply.of("*2000000000\r\n"), Reason.TOO_MANY_ELEMENTS);
  }

  @Test
  void deepNestingIsRefused() throws Exception {
    assertRefusedThenServing(Reply.of("*1\r\n".repeat(100) + ":1\r\n"), Reason.NESTING_TOO_DEEP);
  }

  @Test
  void garbledLengthIsRefusedNotWaitedOn() throws Exception {
    assertRefusedThenServing(Reply.of("$12a\r\nhello\r\n"), Reason.MALFORMED_LENGTH);
  }

  @Test
  void lineWithNoTerminatorIsRefusedAtTheLineLimit() throws Exception {
    assertRefusedThenServing(Reply.of("+" + "x".repeat(4096)), Reason.LINE_TOO_LONG);
  }

  @Test
  void unterminatedLineDeliveredOneByteAtATimeIsRefusedAtTheLineLimit() throws Exception {
    assertRefusedThenServing(Reply.dribbled("-ERR " + "x".repeat(1100)), Reason.LINE_TOO_LONG);
  }

  @Test
  void garbledReplyDeliveredOneByteAtATimeIsRefused() throws Exception {
    assertRefusedThenServing(Reply.dribbled("*2\r\n$3\r\nabc\r\n$-7\r\n"), Reason.MALFORMED_LENGTH);
  }

  @Test
  void validReplyDeliveredOneByteAtATimeIsDecoded() throws Exception {
    String reply = "*3\r\n$11\r\nhello world\r\n:42\r\n*1\r\n+OK\r\n";
    try (FakeRedisServer server = new FakeRedisServer(cmd -> Reply.dribbled(reply)); RedisClient client = client(server)) {
      RespValue value = run(runtime, cx -> client.command(cx, "LRANGE", "k", 0, -1));
      assertThat(value).isEqualTo(new RespValue.ArrayReply(List.of(RespValue.BulkString.of("hello world"),
          new RespValue.IntegerReply(42), new RespValue.ArrayReply(List.of(new RespValue.SimpleString("OK"))))));
      assertThat(client.stats().pool().discarded()).isZero();
    }
  }

  @Test
  void replyThatNeverEndsReleasesTheCallerAtItsDeadlineAndTheConnectionIsDiscarded() throws Exception {
    // A reply that stops mid-line: no limit is hit, so the caller's budget and then the settle timeout end it.
    try (FakeRedisServer server = new FakeRedisServer(getAnswers(Reply.of("+OK, and then nothing")));
        RedisClient client = client(server)) {
      // Connected first, so that the short budget is spent waiting for the reply, not on the handshake.
      run(runtime, cx -> {
        client.set(cx, "warm", "up");
        return null;
      });
      Outcome<Object> outcome = runtime.run(cx -> cx.scope(RegionPolicy.FAIL_FAST,
          Budget.timeout(cx.now(), Duration.ofMillis(200)), c -> client.get(c, "k")).orThrow());
      assertThat(outcome).isInstanceOfSatisfying(Outcome.Cancelled.class,
          c -> assertThat(c.reason().kind()).isEqualTo(CancelKind.DEADLINE));
      await("the unsettled connection is discarded", () -> client.stats().pool().discarded() == 1);
      run(runtime, cx -> {
        client.set(cx, "k", "v");
        return null;
      });
      assertThat(client.stats().count("GET", CallResult.OUTCOME_UNKNOWN)).isEqualTo(1);
    }
  }

  @Test
  void serverThatNeverAnswersTheHandshakeFailsTheConnectNotTheCallerForever() throws Exception {
    try (FakeRedisServer server = new FakeRedisServer(cmd -> null);
        RedisClient client = RedisClient.builder(runtime).port(server.port()).credentials("app", "s3cret-pw")
            .connectTimeout(Duration.ofMillis(300)).build()) {
      // AUTH is scripted to get no answer: the handshake times out.
      run(runtime, cx -> {
        assertThatThrownBy(() -> client.get(cx, "k")).isInstanceOf(RedisConnectionException.class);
        return null;
      });
      assertThat(server.commands).contains("AUTH").doesNotContain("GET");
      assertThat(client.stats().pool().open()).isZero();
      assertThat(runtime.trace().events()).noneMatch(e -> e.toString().contains("s3cret-pw"));
    }
  }

  @Test
  void cancelledWhileWaitingForAConnectionSendsNothing() throws Exception {
    try (FakeRedisServer server = new FakeRedisServer(getAnswers(Reply.of("$1\r\nv\r\n")));
        RedisClient client = RedisClient.builder(runtime).port(server.port()).pool(0, 1).build()) {
      Outcome<Object> outcome = runtime.run(cx -> client.dedicated(cx, conn -> {
        // The only connection is leased here, so the SET below waits for it until its deadline.
        conn.command(cx, "GET", "k");
        return cx.scope(RegionPolicy.FAIL_FAST, Budget.timeout(cx.now(), Duration.ofMillis(100)),
            c -> {
              client.set(c, "other", "v");
              return null;
            }).orThrow();
      }));
      assertThat(outcome).isInstanceOf(Outcome.Cancelled.class);
      assertThat(server.commands).doesNotContain("SET");
      assertThat(client.stats().count("SET", CallResult.CANCELLED_BEFORE_SEND)).isEqualTo(1);
    }
  }
}
