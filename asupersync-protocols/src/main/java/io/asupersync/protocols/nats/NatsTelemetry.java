package io.asupersync.protocols.nats;

import io.asupersync.CancelledException;
import io.asupersync.Cx;
import io.asupersync.Runtime;
import io.asupersync.trace.TraceKind;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one client counts and traces: the counters behind {@link NatsStats}, a {@code CLIENT_CALL} event
 * per operation, and {@code PROTOCOL_ERROR}/{@code LIMIT_EXCEEDED} events. Names, results and categories
 * only: never subjects, payloads, header values, credentials or {@code -ERR} texts. Thread-safe.
 */
final class NatsTelemetry {

  /** A body of a traced operation. */
  @FunctionalInterface
  interface Op<T> {
    T run() throws NatsException;
  }

  private final Runtime runtime;
  final LongAdder published = new LongAdder();
  final LongAdder delivered = new LongAdder();
  final LongAdder requests = new LongAdder();
  final LongAdder noResponders = new LongAdder();
  final LongAdder timeouts = new LongAdder();
  final LongAdder cancelled = new LongAdder();
  final LongAdder dropped = new LongAdder();
  final LongAdder lateReplies = new LongAdder();
  final LongAdder protocolErrors = new LongAdder();
  final LongAdder serverErrors = new LongAdder();
  final LongAdder reconnects = new LongAdder();
  final LongAdder acks = new LongAdder();
  final LongAdder naks = new LongAdder();
  final LongAdder terms = new LongAdder();
  private final AtomicLong peakBuffered = new AtomicLong();

  NatsTelemetry(Runtime runtime) {
    this.runtime = runtime;
  }

  /**
   * Runs one client operation and records it as a {@link TraceKind#CLIENT_CALL} event with its
   * operation name and result only (never subjects, payloads or credentials).
   */
  <T> T traced(Cx cx, String operation, Op<T> body) throws NatsException {
    String result = "failed";
    try {
      T value = body.run();
      result = "ok";
      return value;
    } catch (NatsException e) {
      result = e.reason().name().toLowerCase(Locale.ROOT);
      throw e;
    } catch (CancelledException e) {
      cancelled.increment();
      result = "cancelled";
      throw e;
    } finally {
      runtime.trace().record(TraceKind.CLIENT_CALL, cx.taskId(), cx.regionId(), 0,
          Map.of("protocol", "nats", "operation", operation, "result", result));
    }
  }

  void reconnected() {
    reconnects.increment();
    runtime.trace().record(TraceKind.CLIENT_CALL, 0, 0, 0, Map.of("protocol", "nats", "operation", "reconnect", "result", "ok"));
  }

  void recordBuffered(int bytes) {
    peakBuffered.accumulateAndGet(bytes, Math::max);
  }

  void protocolError(long connection, NatsProtocolException e) {
    protocolErrors.increment();
    Map<String, String> attrs = e.isLimit()
        ? Map.of("protocol", "nats", "reason", e.violation().name(), "connection", Long.toString(connection), "limit", limitName(e.violation()))
        : Map.of("protocol", "nats", "reason", e.violation().name(), "connection", Long.toString(connection));
    runtime.trace().record(e.isLimit() ? TraceKind.LIMIT_EXCEEDED : TraceKind.PROTOCOL_ERROR, 0, 0, 0, attrs);
  }

  private static String limitName(NatsProtocolException.Violation v) {
    return switch (v) {
      case CONTROL_LINE_TOO_LONG -> "maxControlLine";
      case HEADERS_TOO_LARGE -> "maxHeaderBytes";
      default -> "maxPayload";
    };
  }

  /** A {@code -ERR} arrived; traced by category only, since the text may name subjects. */
  void serverError(long connection, String text) {
    serverErrors.increment();
    runtime.trace().record(TraceKind.PROTOCOL_ERROR, 0, 0, 0, Map.of(
        "protocol", "nats", "reason", "server_error_" + errorCategory(text), "connection", Long.toString(connection)));
  }

  static String errorCategory(String text) {
    String t = text.toLowerCase(Locale.ROOT);
    if (t.contains("authorization") || t.contains("authentication") || t.contains("user authentication")) {
      return "authorization";
    }
    if (t.contains("permissions violation")) {
      return "permissions";
    }
    if (t.contains("maximum payload")) {
      return "max_payload";
    }
    if (t.contains("stale connection")) {
      return "stale_connection";
    }
    return "other";
  }

  void slowConsumer(long sid, boolean firstOfRun) {
    dropped.increment();
    if (firstOfRun) {
      runtime.trace().record(TraceKind.LIMIT_EXCEEDED, 0, 0, 0, Map.of(
          "protocol", "nats", "reason", "slow_consumer", "limit", "subscriptionCapacity", "subscription", Long.toString(sid)));
    }
  }

  NatsStats stats(int subscriptions, int pendingInboxes, boolean connected) {
    return new NatsStats(
        published.sum(), delivered.sum(), requests.sum(), noResponders.sum(), timeouts.sum(), cancelled.sum(),
        dropped.sum(), lateReplies.sum(), protocolErrors.sum(), serverErrors.sum(), reconnects.sum(),
        acks.sum(), naks.sum(), terms.sum(), peakBuffered.get(), subscriptions, pendingInboxes, connected);
  }
}
