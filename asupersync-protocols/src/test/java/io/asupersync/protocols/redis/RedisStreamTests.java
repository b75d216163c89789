package io.asupersync.protocols.redis;

import static io.asupersync.protocols.redis.RedisTests.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.LeakResponse;
import io.asupersync.ObligationKind;
import io.asupersync.ObligationState;
import io.asupersync.Runtime;
import io.asupersync.RuntimeSnapshot;
import io.asupersync.testsupport.RedisServerProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Streams with consumer groups: each delivery is an Ack obligation. Against a real redis-server. */
class RedisStreamTests {

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
    runtime = Runtime.builder().leakResponse(LeakResponse.SILENT).build();
  }

  @AfterEach
  void stopRuntime() {
    runtime.close();
  }

  private static long pending(RedisClient client, io.asupersync.Cx cx, String stream, String group) throws RedisException {
    return ((RespValue.IntegerReply) client.command(cx, "XPENDING", stream, group).elements().get(0)).value();
  }

  @Test
  void readGroupDeliveriesAreAckObligationsCommittedByXack() throws Exception {
    for (boolean resp3 : List.of(false, true)) {
      String stream = "s:ack:" + resp3;
      try (RedisClient client = RedisClient.builder(runtime).port(server.port()).resp3(resp3).build()) {
        run(runtime, cx -> {
          assertThat(client.xgroupCreate(cx, stream, "g", "0")).isTrue();
          assertThat(client.xgroupCreate(cx, stream, "g", "0")).isFalse();
          List<String> ids = List.of(
              client.xadd(cx, stream, Map.of("n", "1")), client.xadd(cx, stream, Map.of("n", "2")));
          List<StreamDelivery> got = client.xreadgroup(cx, "g", "c1", stream, 10, Duration.ofMillis(100));
          assertThat(got).extracting(StreamDelivery::id).containsExactlyElementsOf(ids);
          assertThat(got).extracting(d -> d.field("n")).containsExactly("1", "2");
          List<RuntimeSnapshot.ObligationInfo> held = runtime.snapshot().obligations();
          assertThat(held).hasSize(2).allMatch(o -> o.kind() == ObligationKind.ACK && o.taskId() == cx.taskId());
          assertThat(pending(client, cx, stream, "g")).isEqualTo(2);
          for (StreamDelivery d : got) {
            assertThat(d.ack(cx)).isTrue();
            assertThat(d.state()).isEqualTo(ObligationState.COMMITTED);
          }
          assertThat(pending(client, cx, stream, "g")).isZero();
          assertThat(client.xreadgroup(cx, "g", "c1", stream, 10, Duration.ofMillis(50))).isEmpty();
          return null;
        });
        assertThat(runtime.snapshot().obligations()).isEmpty();
      }
    }
  }

  @Test
  void abortedDeliveryStaysPendingAndALaterReaderReclaimsIt() throws Exception {
    try (RedisClient client = RedisClient.builder(runtime).port(server.port()).build()) {
      String id = run(runtime, cx -> {
        client.xgroupCreate(cx, "s:abort", "g", "$");
        String added = client.xadd(cx, "s:abort", Map.of("job", "resize"));
        StreamDelivery d = client.xreadgroup(cx, "g", "worker-1", "s:abort", 1, Duration.ofMillis(100)).get(0);
        d.abort();
        assertThat(d.state()).isEqualTo(ObligationState.ABORTED);
        return added;
      });
      run(runtime, cx -> {
        assertThat(pending(client, cx, "s:abort", "g")).isEqualTo(1);
        List<StreamDelivery> reclaimed = client.xautoclaim(cx, "s:abort", "g", "worker-2", Duration.ZERO, 10);
        assertThat(reclaimed).extracting(StreamDelivery::id).containsExactly(id);
        assertThat(reclaimed.get(0).field("job")).isEqualTo("resize");
        assertThat(reclaimed.get(0).ack(cx)).isTrue();
        assertThat(pending(client, cx, "s:abort", "g")).isZero();
        return null;
      });
    }
  }

  @Test
  void taskEndingWithAnUnackedDeliveryIsAReportedLeakAndTheEntryStaysPending() throws Exception {
    try (RedisClient client = RedisClient.builder(runtime).port(server.port()).build()) {
      run(runtime, cx -> {
        client.xgroupCreate(cx, "s:leak", "g", "$");
        client.xadd(cx, "s:leak", Map.of("k", "v"));
        return null;
      });
      run(runtime, cx -> cx.spawn("forgetful", c -> client.xreadgroup(c, "g", "c", "s:leak", 1, Duration.ofMillis(100)).size())
          .join(cx).orThrow());
      assertThat(runtime.snapshot().counters().obligationsLeaked()).isEqualTo(1);
      assertThat(runtime.snapshot().leaks()).singleElement()
          .satisfies(l -> assertThat(l.obligation().kind()).isEqualTo(ObligationKind.ACK));
      run(runtime, cx -> {
        assertThat(pending(client, cx, "s:leak", "g")).isEqualTo(1);
        return null;
      });
    }
  }
}
