package io.asupersync.protocols.nats;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Cx;
import io.asupersync.Runtime;
import io.asupersync.TaskHandle;
import io.asupersync.protocols.nats.NatsProtocolException.Violation;
import io.asupersync.trace.TraceKind;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A fake server on loopback sends what a broken or hostile NATS server might. Each case must end in
 * a typed error for the operation in flight, with the decoder's buffer bounded, the connection
 * discarded, and the client serving again on its next connection.
 */
class NatsHostileServerTests {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final NatsLimits LIMITS = NatsLimits.defaults();
  /** What the decoder may hold: a control line (or payload) in progress plus one socket read (Netty reads at most 64 KiB). */
  private static final long BUFFER_BOUND = LIMITS.maxControlLine() + 2 + 64 * 1024;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  static Runtime runtime;

  @BeforeAll
  static void start() {
    runtime = Runtime.builder().build();
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  static Stream<Arguments> hostileReplies() {
    return Stream.of(
        Arguments.of("huge announced payload", "MSG reply 2 2000000000\r\n", (byte) 'x', Violation.PAYLOAD_TOO_LARGE),
        Arguments.of("length beyond an int", "MSG reply 2 99999999999\r\n", (byte) 'x', Violation.BAD_LENGTH),
        Arguments.of("garbled length", "MSG reply 2 1x\r\n", (byte) 0, Violation.BAD_LENGTH),
        Arguments.of("length shorter than the data", "MSG reply 2 5\r\nhello world\r\n", (byte) 0, Violation.MISSING_TERMINATOR),
        Arguments.of("header length beyond total", "HMSG reply 2 50 20\r\n", (byte) 0, Violation.BAD_LENGTH),
        Arguments.of("header section too large", "HMSG reply 2 900000 900010\r\n", (byte) 'x', Violation.HEADERS_TOO_LARGE),
        Arguments.of("oversize control line", "INFO {\"pad\":\"" + "p".repeat(10_000) + "\"}\r\n", (byte) 0, Violation.CONTROL_LINE_TOO_LONG),
        Arguments.of("control line with no terminator", "MSG ", (byte) 'A', Violation.CONTROL_LINE_TOO_LONG),
        Arguments.of("unknown operation", "HELLO there\r\n", (byte) 0, Violation.UNKNOWN_OPERATION));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileReplies")
  void hostileBytesEndInATypedErrorWithBoundedMemoryAndTheClientServesAgain(String name, String hostile, byte flood, Violation expected) throws Exception {
    try (FakeNatsServer fake = new FakeNatsServer()) {
      runtime.run(cx -> {
        try (NatsClient nats = client(fake).connect(cx)) {
          FakeNatsServer.Conn first = fake.next();
          TaskHandle<Object> requester = cx.spawn("requester", c -> attempt(c, nats));
          first.awaitPub();
          long loopThread = loopThreadId(nats);
          long allocatedBefore = THREADS.getThreadAllocatedBytes(loopThread);
          first.send(hostile);
          if (flood != 0) {
            first.flood(flood, 8L * 1024 * 1024);
          }
          Object result = requester.join(cx).orThrow();
          assertOutcomeUnknownCausedBy(result, expected);
          assertThat(first.awaitClosedByClient()).as("connection discarded").isTrue();
          assertThat(nats.stats().protocolErrors()).isEqualTo(1);
          assertThat(nats.stats().peakBufferedBytes()).as("bytes buffered by the decoder").isLessThanOrEqualTo(BUFFER_BOUND);
          assertThat(THREADS.getThreadAllocatedBytes(loopThread) - allocatedBefore).as("heap allocated on the event loop").isLessThan(8L * 1024 * 1024);
          servesOnNextConnection(cx, fake, nats);
          return null;
        }
      }).orThrow();
    }
    TraceKind kind = new NatsProtocolException(expected, "").isLimit() ? TraceKind.LIMIT_EXCEEDED : TraceKind.PROTOCOL_ERROR;
    assertThat(runtime.trace().events(e -> e.kind() == kind && expected.name().equals(e.attributes().get("reason")), 100)).isNotEmpty();
  }

  @Test
  void messageDeliveredOneByteAtATimeIsDecoded() throws Exception {
    try (FakeNatsServer fake = new FakeNatsServer()) {
      String answer = runtime.run(cx -> {
        try (NatsClient nats = client(fake).connect(cx)) {
          FakeNatsServer.Conn conn = fake.next();
          TaskHandle<NatsMessage> requester = cx.spawn("requester", c -> nats.request(c, "svc", "q".getBytes(UTF_8), WAIT));
          FakeNatsServer.Pub pub = conn.awaitPub();
          conn.sendByteByByte(conn.replyTo(pub, "slow but whole"));
          String data = new String(requester.join(cx).orThrow().data(), UTF_8);
          assertThat(nats.stats().peakBufferedBytes()).isLessThan(256);
          assertThat(nats.stats().protocolErrors()).isZero();
          return data;
        }
      }).orThrow();
      assertThat(answer).isEqualTo("slow but whole");
    }
  }

  @Test
  void unterminatedControlLineWaitsWithinItsLimitThenFailsTyped() throws Exception {
    try (FakeNatsServer fake = new FakeNatsServer()) {
      runtime.run(cx -> {
        try (NatsClient nats = client(fake).connect(cx)) {
          FakeNatsServer.Conn first = fake.next();
          TaskHandle<Object> early = cx.spawn("early", c -> attemptWithin(c, nats, Duration.ofMillis(100)));
          first.awaitPub();
          first.send("MSG " + "A".repeat(3000)); // under the 4 KiB limit: the decoder must wait, not fail
          assertThat(early.join(cx).orThrow()).isInstanceOfSatisfying(NatsException.class,
              e -> assertThat(e.reason()).isEqualTo(NatsException.Reason.TIMEOUT));
          assertThat(nats.isConnected()).isTrue();
          TaskHandle<Object> late = cx.spawn("late", c -> attempt(c, nats));
          first.awaitPub();
          first.send("B".repeat(2000));
          assertOutcomeUnknownCausedBy(late.join(cx).orThrow(), Violation.CONTROL_LINE_TOO_LONG);
          assertThat(first.awaitClosedByClient()).isTrue();
          assertThat(nats.stats().peakBufferedBytes()).isLessThanOrEqualTo(BUFFER_BOUND);
          servesOnNextConnection(cx, fake, nats);
          return null;
        }
      }).orThrow();
    }
  }

  private static NatsClient.Builder client(FakeNatsServer fake) {
    return NatsClient.builder(runtime).server(fake.url()).limits(LIMITS)
        .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(50), 0.5);
  }

  /** A request whose failure is the task's result (a failed child would fail the test's scope). */
  private static Object attempt(Cx cx, NatsClient nats) {
    return attemptWithin(cx, nats, WAIT);
  }

  private static Object attemptWithin(Cx cx, NatsClient nats, Duration timeout) {
    try {
      return nats.request(cx, "svc", "q".getBytes(UTF_8), timeout);
    } catch (NatsException e) {
      return e;
    }
  }

  private static void assertOutcomeUnknownCausedBy(Object result, Violation expected) {
    assertThat(result).isInstanceOfSatisfying(NatsException.class, e -> {
      assertThat(e.reason()).isEqualTo(NatsException.Reason.OUTCOME_UNKNOWN);
      assertThat(e.getCause()).isInstanceOfSatisfying(NatsProtocolException.class,
          p -> assertThat(p.violation()).isEqualTo(expected));
    });
  }

  private static void servesOnNextConnection(Cx cx, FakeNatsServer fake, NatsClient nats) throws Exception {
    FakeNatsServer.Conn second = fake.next();
    TaskHandle<NatsMessage> again = cx.spawn("again", c -> nats.request(c, "svc", "q".getBytes(UTF_8), WAIT));
    FakeNatsServer.Pub pub = second.awaitPub();
    second.send(second.replyTo(pub, "fine"));
    assertThat(new String(again.join(cx).orThrow().data(), UTF_8)).isEqualTo("fine");
    assertThat(nats.stats().reconnects()).isEqualTo(1);
  }

  private static long loopThreadId(NatsClient nats) throws Exception {
    return nats.engine().loop.submit(() -> Thread.currentThread().threadId()).get();
  }
}
