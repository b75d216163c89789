package io.asupersync.spring.boot.autoconfigure;

import static io.asupersync.spring.boot.autoconfigure.PropertyChecks.notNegative;
import static io.asupersync.spring.boot.autoconfigure.PropertyChecks.positive;

import io.asupersync.LeakResponse;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the structured-concurrency runtime, bound from {@code asupersync.runtime}.
 *
 * @param leakResponse What to do when a task ends holding a reserved obligation.
 * @param leakEscalationThreshold Number of leaks after which every further leak is handled as a panic,
 *     whatever the leak response. Unset, leaks never escalate.
 * @param traceCapacity Number of structured trace events kept in the in-memory ring buffer.
 * @param traceLifecycle Whether task and region lifecycle events (spawned, completed, opened, closed)
 *     are recorded. A busy server records several per request, which push protocol, limit,
 *     cancellation and leak events out of the ring within moments; turn it off there (the access event
 *     of each request still names its task and region).
 * @param defaultRequestBudget Time budget of a request region when no more specific timeout applies
 *     (Spring MVC handlers that take a Cx, requests on the Asupersync server).
 * @param shutdownTimeout Maximum time to wait, on application shutdown, for the root region to cancel,
 *     drain and finalize before the remaining work is reported as leaked.
 * @param eventLoopCarrier Whether a task started on a network event loop (a request, a gRPC call, a
 *     WebSocket session) runs on a virtual thread carried by that loop instead of the JVM's shared
 *     scheduler: two thread hand-offs fewer per request. Suits handlers that are short or wait through
 *     the runtime; a handler that computes long or blocks in native code holds its loop's other
 *     connections. Needs JDK 24+ and {@code --add-opens java.base/java.lang=ALL-UNNAMED}; without them a
 *     warning is logged and the shared scheduler is used.
 */
@ConfigurationProperties("asupersync.runtime")
public record AsupersyncRuntimeProperties(
    @DefaultValue("log") LeakResponse leakResponse,
    @Nullable Long leakEscalationThreshold,
    @DefaultValue("4096") int traceCapacity,
    @DefaultValue("true") boolean traceLifecycle,
    @DefaultValue("30s") Duration defaultRequestBudget,
    @DefaultValue("30s") Duration shutdownTimeout,
    @DefaultValue("false") boolean eventLoopCarrier) {

  public AsupersyncRuntimeProperties {
    if (leakEscalationThreshold != null) {
      notNegative("asupersync.runtime.leak-escalation-threshold", leakEscalationThreshold);
    }
    positive("asupersync.runtime.trace-capacity", traceCapacity);
    positive("asupersync.runtime.default-request-budget", defaultRequestBudget);
    positive("asupersync.runtime.shutdown-timeout", shutdownTimeout);
  }
}
