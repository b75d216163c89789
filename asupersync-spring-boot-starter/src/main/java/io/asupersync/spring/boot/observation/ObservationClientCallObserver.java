package io.asupersync.spring.boot.observation;

import io.asupersync.CancelledException;
import io.asupersync.protocols.client.CallOutcome;
import io.asupersync.protocols.client.ClientCallObserver;
import io.asupersync.protocols.client.OutgoingCall;
import io.asupersync.protocols.http.client.HttpClientException;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.RequestReplySenderContext;
import java.util.Locale;
import java.util.Map;

/**
 * One observation per call of an Asupersync {@code HttpClient} or {@code GrpcClient}, named {@value
 * #OBSERVATION_NAME}. Its context is a sender context whose carrier is the outgoing call, so with a
 * tracing bridge and a propagator the call's span is injected as {@code traceparent} (or B3); the span's
 * ids are added to the call's {@code CLIENT_CALL} trace event.
 *
 * <p>Tags, all low cardinality and the same for both protocols: {@code protocol} ({@code http}, {@code
 * grpc}), {@code method} (the HTTP method, or the gRPC method's full name), {@code status} (the HTTP
 * status, the gRPC status code, {@code CANCELLED}, or the failure's reason), {@code outcome} ({@code
 * SUCCESS}, {@code CLIENT_ERROR}, {@code SERVER_ERROR}, {@code REDIRECTION}, {@code INFORMATIONAL},
 * {@code ERROR} for a gRPC status other than OK, {@code CANCELLED}, {@code UNKNOWN} without a response).
 * The request path is a high-cardinality value ({@code path}) only: it may carry ids.
 */
public final class ObservationClientCallObserver implements ClientCallObserver {

  /** Name of the observation of each client call. */
  public static final String OBSERVATION_NAME = "asupersync.client.requests";

  private final ObservationRegistry registry;
  private final TraceCorrelation correlation;

  public ObservationClientCallObserver(ObservationRegistry registry, TraceCorrelation correlation) {
    this.registry = registry;
    this.correlation = correlation;
  }

  @Override
  public Call start(OutgoingCall call) {
    RequestReplySenderContext<OutgoingCall, CallOutcome> context =
        new RequestReplySenderContext<>((carrier, key, value) -> {
          if (carrier != null) {
            carrier.header(key.toLowerCase(Locale.ROOT), value);
          }
        });
    context.setCarrier(call);
    context.setRemoteServiceAddress(call.scheme() + "://" + call.authority());
    boolean grpc = call.protocol() == OutgoingCall.Protocol.GRPC;
    Observation observation =
        Observation.createNotStarted(OBSERVATION_NAME, () -> context, registry)
            .contextualName(grpc ? call.operation() : "http " + call.operation().toLowerCase(Locale.ROOT))
            .lowCardinalityKeyValue("protocol", grpc ? "grpc" : "http")
            .lowCardinalityKeyValue("method", call.operation())
            .highCardinalityKeyValue("path", call.path())
            .start();
    Map<String, String> ids;
    try (Observation.Scope scope = observation.openScope()) {
      ids = correlation.current();
    }
    return new ObservedCall(observation, context, ids);
  }

  private record ObservedCall(
      Observation observation, RequestReplySenderContext<OutgoingCall, CallOutcome> context, Map<String, String> ids)
      implements Call {

    @Override
    public Map<String, String> traceAttributes() {
      return ids;
    }

    @Override
    public void end(CallOutcome outcome) {
      context.setResponse(outcome);
      String status;
      String result;
      switch (outcome) {
        case CallOutcome.HttpStatus http -> {
          status = Integer.toString(http.status());
          result = httpOutcome(http.status());
        }
        case CallOutcome.GrpcStatus grpc -> {
          status = grpc.status().code().name();
          result = grpc.status().isOk() ? "SUCCESS" : "ERROR";
          if (!grpc.status().isOk()) {
            observation.error(grpc.status().asException());
          }
        }
        case CallOutcome.Failed failed -> {
          status = failed.error() instanceof HttpClientException e ? e.reason().name() : failed.error().getClass().getSimpleName();
          result = "UNKNOWN";
          observation.error(failed.error());
        }
        case CallOutcome.Cancelled cancelled -> {
          status = "CANCELLED";
          result = "CANCELLED";
          observation.error(new CancelledException(cancelled.reason()));
        }
      }
      observation.lowCardinalityKeyValue("status", status).lowCardinalityKeyValue("outcome", result).stop();
    }

    private static String httpOutcome(int status) {
      return switch (status / 100) {
        case 1 -> "INFORMATIONAL";
        case 2 -> "SUCCESS";
        case 3 -> "REDIRECTION";
        case 4 -> "CLIENT_ERROR";
        case 5 -> "SERVER_ERROR";
        default -> "UNKNOWN";
      };
    }
  }
}
