package io.asupersync.spring.boot.webmvc;

import io.asupersync.Budget;
import io.asupersync.CancelKind;
import io.asupersync.CancelReason;
import io.asupersync.CancelledException;
import io.asupersync.Cx;
import io.asupersync.Outcome;
import io.asupersync.RegionClosedException;
import io.asupersync.RegionPolicy;
import io.asupersync.Runtime;
import io.asupersync.spring.boot.observation.TraceCorrelation;
import io.asupersync.trace.TraceKind;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerAdapter;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * Runs every handler method that takes a {@link Cx} parameter in its own request region: a fail-fast
 * scope whose budget is the request budget, on a runtime task (a virtual thread), while the servlet
 * thread waits. Argument resolution, the handler and the writing of its return value all happen inside
 * the region, with the request attributes, locale, security context and current observation carried
 * over. Flushes are held back inside the region, so a response that fits the container's buffer reaches
 * the client only once the region has closed: every task the handler spawned has finished. Asynchronous
 * return values ({@code DeferredResult}, {@code Callable}, streaming bodies) would outlive the region and
 * are not for such handlers.
 *
 * <p>Per request: an observation named {@value #OBSERVATION_NAME} (a child of the servlet's observation,
 * so a span of the same trace when tracing is on), a {@code USER} trace event {@code http.request} when
 * the region starts and an {@code ACCESS} event when the handler returns, both carrying the trace and
 * span ids when a tracer is present. Outcomes: Ok returns; an exception from the handler is rethrown
 * as is, for Spring's exception handling; a cancelled region, or a request arriving while the runtime
 * shuts down, becomes {@link CancelledRequestException} (503).
 *
 * <p>Ordered ahead of Spring's {@code RequestMappingHandlerAdapter}, to which it delegates.
 */
public final class CxHandlerAdapter implements HandlerAdapter, Ordered {

  /** Name of the observation of each request region. */
  public static final String OBSERVATION_NAME = "asupersync.request";

  private final Runtime runtime;
  private final HandlerAdapter delegate;
  private final Duration requestBudget;
  private final ObservationRegistry observations;
  private final TraceCorrelation correlation;
  private final ConcurrentMap<Method, Boolean> takesCx = new ConcurrentHashMap<>();

  /**
   * @param runtime runtime that owns the request regions
   * @param delegate adapter that resolves arguments, invokes the handler and handles its return value
   * @param requestBudget time budget of each request region
   * @param observations registry of the request observations ({@link ObservationRegistry#NOOP} for none)
   * @param correlation ids of the current trace for trace events ({@link TraceCorrelation#none()} for none)
   */
  public CxHandlerAdapter(
      Runtime runtime,
      HandlerAdapter delegate,
      Duration requestBudget,
      ObservationRegistry observations,
      TraceCorrelation correlation) {
    this.runtime = runtime;
    this.delegate = delegate;
    this.requestBudget = requestBudget;
    this.observations = observations;
    this.correlation = correlation;
  }

  @Override
  public boolean supports(Object handler) {
    return handler instanceof HandlerMethod method && takesCx(method) && delegate.supports(handler);
  }

  private boolean takesCx(HandlerMethod method) {
    return takesCx.computeIfAbsent(
        method.getMethod(), m -> Arrays.asList(m.getParameterTypes()).contains(Cx.class));
  }

  @Override
  public @Nullable ModelAndView handle(HttpServletRequest request, HttpServletResponse response, Object handler)
      throws Exception {
    String route = route(request);
    Observation observation =
        Observation.createNotStarted(OBSERVATION_NAME, observations)
            .contextualName("asupersync " + request.getMethod() + " " + route)
            .lowCardinalityKeyValue("method", request.getMethod())
            .lowCardinalityKeyValue("route", route);
    Observation parent = observations.getCurrentObservation();
    if (parent != null) {
      observation.parentObservation(parent);
    }
    RequestThreadContext carried = RequestThreadContext.capture();
    RegionResponse held = new RegionResponse(response);
    observation.start();
    Outcome<Optional<ModelAndView>> outcome;
    try {
      // Optional: Spring answers null when the handler wrote the response itself.
      outcome =
          runtime.run(
              root ->
                  Objects.requireNonNull(root.<Optional<ModelAndView>>scope(
                          RegionPolicy.FAIL_FAST,
                          Budget.timeout(root.now(), requestBudget),
                          cx -> {
                            try (RequestThreadContext.Restored restored = carried.restore();
                                Observation.Scope scope = observation.openScope()) {
                              observation.highCardinalityKeyValue("region", Long.toString(cx.regionId()));
                              return invoke(cx, request, held, handler, route);
                            }
                          })
                      .orThrow()));
    } catch (RegionClosedException ex) {
      outcome = Outcome.cancelled(CancelReason.of(CancelKind.SHUTDOWN, "runtime is shutting down"));
    }
    held.release();
    observation.lowCardinalityKeyValue("outcome", outcomeName(outcome));
    try {
      return switch (outcome) {
        case Outcome.Ok<Optional<ModelAndView>> ok -> Objects.requireNonNull(ok.value()).orElse(null);
        case Outcome.Err<Optional<ModelAndView>> err -> throw observed(observation, err.error());
        case Outcome.Cancelled<Optional<ModelAndView>> cancelled ->
            throw observed(observation, new CancelledRequestException(cancelled.reason()));
        case Outcome.Panicked<Optional<ModelAndView>> panicked -> {
          observation.error(panicked.cause());
          throw rethrowable(panicked.cause());
        }
      };
    } finally {
      observation.stop();
    }
  }

  private Optional<ModelAndView> invoke(
      Cx cx, HttpServletRequest request, RegionResponse response, Object handler, String route)
      throws Exception {
    Instant start = cx.now();
    Map<String, String> ids = correlation.current();
    Map<String, String> attributes = new HashMap<>(ids);
    attributes.put("method", request.getMethod());
    attributes.put("route", route);
    cx.trace("http.request", attributes);
    int status = 500;
    try {
      Optional<ModelAndView> result =
          CxArgumentResolver.with(cx, () -> Optional.ofNullable(delegate.handle(request, response, handler)));
      status = response.getStatus();
      return result;
    } catch (CancelledException ex) {
      status = 503;
      throw ex;
    } finally {
      attributes.put("protocol", request.getProtocol().toLowerCase(Locale.ROOT));
      attributes.put("status", Integer.toString(status));
      attributes.put("durationMicros", Long.toString(Duration.between(start, cx.now()).toNanos() / 1000));
      runtime.trace().record(TraceKind.ACCESS, cx.taskId(), cx.regionId(), 0, attributes);
    }
  }

  private static String route(HttpServletRequest request) {
    return request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE) instanceof String pattern
        ? pattern
        : "UNKNOWN";
  }

  private static String outcomeName(Outcome<?> outcome) {
    return switch (outcome) {
      case Outcome.Ok<?> ok -> "ok";
      case Outcome.Err<?> err -> "err";
      case Outcome.Cancelled<?> cancelled -> "cancelled";
      case Outcome.Panicked<?> panicked -> "panicked";
    };
  }

  private static Exception observed(Observation observation, Exception error) {
    observation.error(error);
    return error;
  }

  /** A panic's cause as something {@link #handle} may throw: errors are rethrown unchanged. */
  private static Exception rethrowable(Throwable cause) {
    if (cause instanceof Exception ex) {
      return ex;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return new IllegalStateException(cause);
  }

  @Override
  public int getOrder() {
    return 0;
  }
}
