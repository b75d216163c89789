package io.asupersync.spring.boot.server;

import io.asupersync.Cx;
import io.asupersync.protocols.http.HttpFilter;
import io.asupersync.protocols.http.HttpHandler;
import io.asupersync.protocols.http.HttpRequest;
import io.asupersync.protocols.http.HttpResponse;
import io.asupersync.spring.boot.observation.TraceCorrelation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.RequestReplyReceiverContext;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.core.Ordered;

/**
 * One observation per request of the Asupersync server, named {@value #OBSERVATION_NAME}, open around
 * the handler on the request's own thread. Its context is a receiver context that reads request
 * headers, so with a tracing bridge and a propagator a W3C {@code traceparent} (or B3) from the client
 * becomes the parent of the request's span. Inside the observation the filter records a {@code USER}
 * trace event {@code http.request} carrying the trace and span ids, so {@code
 * /actuator/asupersynctrace?traceId=...} finds every event of the request's region.
 *
 * <p>Tags: low cardinality {@code method}, {@code route} (the pattern, {@code -} when none matched),
 * {@code protocol}, {@code status}; the raw path is never used.
 */
public final class ObservationHttpFilter implements HttpFilter, Ordered {

  /** Name of the observation of each server request. */
  public static final String OBSERVATION_NAME = "asupersync.server.requests";

  /** Outermost of the starter's filters, so authentication failures are observed too. */
  public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

  private final ObservationRegistry registry;
  private final TraceCorrelation correlation;

  public ObservationHttpFilter(ObservationRegistry registry, TraceCorrelation correlation) {
    this.registry = registry;
    this.correlation = correlation;
  }

  @Override
  public HttpResponse filter(Cx cx, HttpRequest request, HttpHandler next) throws Exception {
    RequestReplyReceiverContext<HttpRequest, HttpResponse> context =
        new RequestReplyReceiverContext<>((carrier, key) -> carrier.headers().first(key));
    context.setCarrier(request);
    context.setRemoteServiceAddress(request.remoteAddress().getHostString());
    String protocol = request.protocol().name().toLowerCase(Locale.ROOT);
    Observation observation =
        Observation.createNotStarted(OBSERVATION_NAME, () -> context, registry)
            .contextualName(request.method() + " " + request.route())
            .lowCardinalityKeyValue("method", request.method())
            .lowCardinalityKeyValue("route", request.route())
            .lowCardinalityKeyValue("protocol", protocol)
            .start();
    try (Observation.Scope scope = observation.openScope()) {
      Map<String, String> attributes = new HashMap<>(correlation.current());
      attributes.put("method", request.method());
      attributes.put("route", request.route());
      attributes.put("protocol", protocol);
      cx.trace("http.request", attributes);
      HttpResponse response = next.handle(cx, request);
      context.setResponse(response);
      observation.lowCardinalityKeyValue("status", Integer.toString(response.status()));
      return response;
    } catch (Exception | Error ex) {
      observation.lowCardinalityKeyValue("status", "error");
      observation.error(ex);
      throw ex;
    } finally {
      observation.stop();
    }
  }

  @Override
  public int getOrder() {
    return ORDER;
  }
}
