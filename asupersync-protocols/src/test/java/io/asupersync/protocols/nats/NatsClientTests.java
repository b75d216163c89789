package io.asupersync.protocols.nats;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.Cx;
import io.asupersync.Outcome;
import io.asupersync.Runtime;
import io.asupersync.TaskBody;
import io.asupersync.TaskHandle;
import io.asupersync.testsupport.NatsServerProcess;
import io.asupersync.testsupport.Ports;
import io.asupersync.trace.TraceEvent;
import io.asupersync.trace.TraceKind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NatsClientTests {

  private static final Duration WAIT = Duration.ofSeconds(10);

  static NatsServerProcess server;
  static Runtime runtime;

  @BeforeAll
  static void start() throws Exception {
    server = NatsServerProcess.start("max_payload: 4096");
    runtime = Runtime.builder().build();
  }

  @AfterAll
  static void stop() {
    if (runtime != null) {
      runtime.close();
    }
    if (server != null) {
      server.close();
    }
  }

  static <T> T run(TaskBody<T> body) throws Exception {
    return runtime.run(body).orThrow();
  }

  static NatsClient connect(Cx cx) throws NatsException {
    return NatsClient.builder(runtime).server(server.url()).connect(cx);
  }

  @Test
  void refusedConnectionIsReportedAsSuchNotAsAFailedHandshake() {
    int port = Ports.unused();
    Outcome<NatsClient> outcome = runtime.run(cx -> NatsClient.builder(runtime).server("127.0.0.1", port).connect(cx));
    assertThat(outcome).isInstanceOfSatisfying(Outcome.Err.class, err -> assertThat(err.error())
        .isInstanceOfSatisfying(NatsException.class, e -> {
          assertThat(e.reason()).isEqualTo(NatsException.Reason.CONNECT_FAILED);
          assertThat(e).hasMessageContaining("cannot connect to 127.0.0.1:" + port);
        }));
  }

  @Test
  void publishedMessageWithHeadersReachesSubscriber() throws Exception {
    NatsMessage got = run(cx -> {
      try (NatsClient nats = connect(cx)) {
        NatsSubscription sub = nats.subscribe(cx, "greet.*");
        nats.publish(cx, new NatsMessage("greet.one", "reply.here", NatsHeaders.of("Trace-Id", "t-1", "Trace-Id", "t-2"), "hello".getBytes(UTF_8)));
        return sub.next(cx);
      }
    });
    assertThat(got.subject()).isEqualTo("greet.one");
    assertThat(got.replyTo()).isEqualTo("reply.here");
    assertThat(got.headers().all("trace-id")).containsExactly("t-1", "t-2");
    assertThat(got.headers().names()).containsExactly("Trace-Id");
    assertThat(new String(got.data(), UTF_8)).isEqualTo("hello");
  }

  @Test
  void requestGetsTheResponderReply() throws Exception {
    String answer = run(cx -> {
      try (NatsClient nats = connect(cx)) {
        NatsSubscription service = nats.subscribe(cx, "svc.upper");
        nats.flush(cx, WAIT);
        cx.spawn("responder", c -> {
          NatsMessage req = service.next(c);
          nats.publish(c, req.replyTo(), new String(req.data(), UTF_8).toUpperCase().getBytes(UTF_8));
          return null;
        });
        return new String(nats.request(cx, "svc.upper", "abc".getBytes(UTF_8), WAIT).data(), UTF_8);
      }
    });
    assertThat(answer).isEqualTo("ABC");
  }

  @Test
  void requestWithoutRespondersFailsWithNoRespondersNotCancellationNorTimeout() throws Exception {
    NatsException e = run(cx -> {
      try (NatsClient nats = connect(cx)) {
        try {
          nats.request(cx, "nobody.listens.here", new byte[0], WAIT);
          throw new AssertionError("request succeeded");
        } catch (NatsNoRespondersException expected) {
          assertThat(nats.stats().noResponders()).isEqualTo(1);
          assertThat(nats.stats().cancelled()).isZero();
          assertThat(nats.stats().pendingRequests()).isZero();
          return expected;
        }
      }
    });
    assertThat(e.reason()).isEqualTo(NatsException.Reason.NO_RESPONDERS);
    assertThat(callResults("request")).contains("no_responders");
  }

  @Test
  void cancelledRequestRemovesItsInboxAndALateReplyIsDropped() throws Exception {
    run(cx -> {
      try (NatsClient nats = connect(cx)) {
        NatsSubscription silent = nats.subscribe(cx, "svc.silent");
        nats.flush(cx, WAIT);
        TaskHandle<NatsMessage> requester = cx.spawn("requester", c -> nats.request(c, "svc.silent", new byte[0], WAIT));
        NatsMessage request = silent.next(cx); // the request reached the (silent) responder
        assertThat(nats.stats().pendingRequests()).isEqualTo(1);
        requester.cancel(io.asupersync.CancelReason.of(io.asupersync.CancelKind.USER, "test gives up"));
        Outcome<NatsMessage> outcome = requester.join(cx);
        assertThat(outcome).isInstanceOf(Outcome.Cancelled.class);
        assertThat(nats.stats().pendingRequests()).isZero();
        assertThat(nats.stats().cancelled()).isEqualTo(1);
        assertThat(nats.stats().noResponders()).isZero();
        nats.publish(cx, request.replyTo(), "too late".getBytes(UTF_8));
        nats.flush(cx, WAIT);
        assertThat(nats.stats().lateReplies()).isEqualTo(1);
        assertThat(nats.isConnected()).isTrue();
        return null;
      }
    });
    assertThat(callResults("request")).contains("cancelled");
  }

  @Test
  void requestWithoutReplyTimesOutWithTypedTimeout() throws Exception {
    NatsException e = run(cx -> {
      try (NatsClient nats = connect(cx)) {
        nats.subscribe(cx, "svc.mute");
        nats.flush(cx, WAIT);
        try {
          nats.request(cx, "svc.mute", new byte[0], Duration.ofMillis(50));
          throw new AssertionError("request succeeded");
        } catch (NatsException expected) {
          return expected;
        }
      }
    });
    assertThat(e.reason()).isEqualTo(NatsException.Reason.TIMEOUT);
  }

  @Test
  void publishOverServerMaxPayloadIsRefusedAndNothingIsSent() throws Exception {
    run(cx -> {
      try (NatsClient nats = connect(cx)) {
        NatsSubscription sub = nats.subscribe(cx, "big");
        long before = nats.stats().published();
        assertThatThrownBy(() -> nats.publish(cx, "big", new byte[4097]))
            .isInstanceOfSatisfying(NatsException.class, e -> assertThat(e.reason()).isEqualTo(NatsException.Reason.PAYLOAD_TOO_LARGE));
        assertThat(nats.stats().published()).isEqualTo(before);
        nats.publish(cx, "big", "marker".getBytes(UTF_8));
        assertThat(new String(sub.next(cx).data(), UTF_8)).isEqualTo("marker");
        assertThat(nats.isConnected()).isTrue();
        return null;
      }
    });
  }

  @Test
  void clientPayloadLimitBelowTheServersApplies() throws Exception {
    run(cx -> {
      try (NatsClient nats = NatsClient.builder(runtime).server(server.url()).limits(NatsLimits.defaults().withMaxPayload(100)).connect(cx)) {
        assertThatThrownBy(() -> nats.publish(cx, "small", new byte[101]))
            .isInstanceOfSatisfying(NatsException.class, e -> assertThat(e.reason()).isEqualTo(NatsException.Reason.PAYLOAD_TOO_LARGE));
        nats.publish(cx, "small", new byte[100]);
        return null;
      }
    });
  }

  @Test
  void slowConsumerDropsNewestMessagesAndCountsThem() throws Exception {
    run(cx -> {
      try (NatsClient nats = NatsClient.builder(runtime).server(server.url()).limits(NatsLimits.defaults().withSubscriptionCapacity(4)).connect(cx)) {
        NatsSubscription sub = nats.subscribe(cx, "flood");
        for (int i = 0; i < 20; i++) {
          nats.publish(cx, "flood", Integer.toString(i).getBytes(UTF_8));
        }
        nats.flush(cx, WAIT);
        Poll.until("all 20 messages arrived", () -> nats.stats().delivered() >= 20);
        assertThat(sub.dropped()).isEqualTo(16);
        assertThat(nats.stats().droppedMessages()).isEqualTo(16);
        for (int i = 0; i < 4; i++) {
          assertThat(new String(sub.next(cx).data(), UTF_8)).isEqualTo(Integer.toString(i));
        }
        assertThat(sub.pending()).isZero();
        return null;
      }
    });
    assertThat(runtime.trace().events(e -> e.kind() == TraceKind.LIMIT_EXCEEDED && "slow_consumer".equals(e.attributes().get("reason")), 10)).hasSize(1);
  }

  @Test
  void cancelObservedBeforeTheHandOverSendsNothing() throws Exception {
    run(cx -> {
      try (NatsClient nats = connect(cx)) {
        NatsSubscription sub = nats.subscribe(cx, "maybe");
        long before = nats.stats().published();
        Outcome<Void> cancelled = cx.scope(c -> {
          c.cancelScope("cancel before publishing");
          nats.publish(c, "maybe", "never".getBytes(UTF_8));
          return null;
        });
        assertThat(cancelled).isInstanceOf(Outcome.Cancelled.class);
        assertThat(nats.stats().published()).isEqualTo(before);
        nats.publish(cx, "maybe", "marker".getBytes(UTF_8));
        assertThat(new String(sub.next(cx).data(), UTF_8)).isEqualTo("marker");
        return null;
      }
    });
  }

  @Test
  void traceRecordsOperationAndResultButNeverSubjectsOrPayloads() throws Exception {
    run(cx -> {
      try (NatsClient nats = connect(cx)) {
        NatsSubscription sub = nats.subscribe(cx, "orders.customer-4711");
        nats.publish(cx, "orders.customer-4711", "card 4111-1111".getBytes(UTF_8));
        sub.next(cx);
        return null;
      }
    });
    List<TraceEvent> calls = runtime.trace().events(e -> e.kind() == TraceKind.CLIENT_CALL, 4096);
    assertThat(calls).isNotEmpty();
    for (TraceEvent e : runtime.trace().events()) {
      assertThat(e.attributes().values()).noneMatch(v -> v.contains("4711") || v.contains("4111"));
    }
    assertThat(calls).allSatisfy(e -> assertThat(e.attributes()).containsOnlyKeys("protocol", "operation", "result"));
  }

  @Test
  void subscriptionCloseStopsDeliveryButKeepsQueuedMessages() throws Exception {
    run(cx -> {
      try (NatsClient nats = connect(cx)) {
        NatsSubscription sub = nats.subscribe(cx, "closing");
        nats.publish(cx, "closing", "one".getBytes(UTF_8));
        nats.flush(cx, WAIT);
        Poll.until("the message is queued", () -> sub.pending() == 1);
        sub.close();
        nats.publish(cx, "closing", "two".getBytes(UTF_8));
        nats.flush(cx, WAIT);
        assertThat(new String(sub.next(cx).data(), UTF_8)).isEqualTo("one");
        assertThatThrownBy(() -> sub.next(cx))
            .isInstanceOfSatisfying(NatsException.class, e -> assertThat(e.reason()).isEqualTo(NatsException.Reason.CLOSED));
        assertThat(nats.stats().subscriptions()).isZero();
        return null;
      }
    });
  }

  static List<String> callResults(String operation) {
    return runtime.trace().events(e -> e.kind() == TraceKind.CLIENT_CALL && operation.equals(e.attributes().get("operation")), 4096)
        .stream().map(e -> e.attributes().get("result")).toList();
  }

}
