package io.asupersync.protocols.grpc;

import io.asupersync.Budget;
import io.asupersync.Cx;
import io.asupersync.Outcome;
import io.asupersync.RegionPolicy;
import io.asupersync.TaskHandle;
import io.asupersync.channel.ChannelClosedException;
import io.asupersync.channel.MpscChannel;
import io.asupersync.protocols.grpc.internal.GrpcHeaders;
import io.asupersync.protocols.grpc.internal.GrpcTimeout;
import io.asupersync.protocols.http.AsupersyncServer;
import io.asupersync.protocols.http.HttpHandler;
import io.asupersync.protocols.http.HttpHeaders;
import io.asupersync.protocols.http.HttpProtocol;
import io.asupersync.protocols.http.HttpRequest;
import io.asupersync.protocols.http.HttpResponse;
import io.asupersync.trace.TraceBuffer;
import io.asupersync.trace.TraceKind;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Serves gRPC services on an {@link AsupersyncServer}: an ordinary HTTP/2 handler for {@code POST
 * /{service}/{method}}, so gRPC shares the port, the TLS configuration and the HTTP/2 protections
 * with everything else the server serves.
 *
 * <pre>{@code
 * GrpcRouter grpc = GrpcRouter.builder().service(greeter).service(health.service()).build();
 * AsupersyncServer server = grpc.installOn(AsupersyncServer.builder(runtime).cleartextPort(8080)).start();
 * }</pre>
 *
 * <p><b>Each call is a region.</b> The handler runs in a scope of the request's region whose deadline
 * is the client's {@code grpc-timeout} from the moment the call arrived (capped by {@link
 * GrpcLimits#maxTimeout}); a client {@code RST_STREAM} or disconnect cancels it, and the region is
 * drained before the call ends. Its outcome becomes the status ({@link Status#fromOutcome}).
 *
 * <p><b>Answers before a handler runs</b> are trailers-only (one HEADERS frame with {@code
 * grpc-status}): unknown service or method {@code UNIMPLEMENTED}; request metadata over {@link
 * GrpcLimits#maxMetadataBytes} {@code RESOURCE_EXHAUSTED}; a malformed {@code grpc-timeout} {@code
 * INTERNAL} (the gRPC specification leaves this open; grpc-java and grpc-go refuse the call with
 * INTERNAL too, rather than run it without the deadline the client meant to set); {@code 0n} {@code
 * DEADLINE_EXCEEDED}. A request whose content type is not {@code application/grpc} gets HTTP 415, and
 * one over HTTP/1.1 HTTP 505 (gRPC needs HTTP/2). A call whose handler fails before sending a response
 * is trailers-only as well.
 */
public final class GrpcRouter implements HttpHandler {

  /** The route pattern the router serves. */
  public static final String ROUTE = "/{service}/{method}";

  private final Map<String, GrpcService> services;
  private final GrpcLimits limits;
  private final Tracer tracer;

  private GrpcRouter(Builder b) {
    this.services = Map.copyOf(b.services);
    this.limits = b.limits;
    this.tracer = new Tracer(b.trace);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Routes {@code POST /{service}/{method}} to this router on {@code server}; returns {@code server}. */
  public AsupersyncServer.Builder installOn(AsupersyncServer.Builder server) {
    return server.streamRoute("POST", ROUTE, this);
  }

  /**
   * How many calls were refused or failed by the router itself, by reason, since it was built; every
   * reason is present. A snapshot: later rejections do not change the map.
   */
  public Map<GrpcRejectionReason, Long> rejections() {
    return tracer.rejections();
  }

  @Override
  public HttpResponse handle(Cx cx, HttpRequest request) throws Exception {
    if (request.protocol() != HttpProtocol.HTTP_2) {
      return HttpResponse.text(505, "gRPC needs HTTP/2");
    }
    if (!GrpcHeaders.isGrpcContentType(request.headers().first(GrpcHeaders.CONTENT_TYPE))) {
      return HttpResponse.text(415, "content-type must be application/grpc");
    }
    String serviceName = Objects.requireNonNull(request.pathParam("service"));
    String methodName = Objects.requireNonNull(request.pathParam("method"));
    GrpcService service = services.get(serviceName);
    if (service == null) {
      return trailersOnly(Status.of(StatusCode.UNIMPLEMENTED, "unknown service " + serviceName));
    }
    GrpcService.Method<?, ?> method = service.method(methodName);
    if (method == null) {
      return trailersOnly(Status.of(StatusCode.UNIMPLEMENTED, "unknown method " + methodName + " of service " + serviceName));
    }
    if (GrpcHeaders.listSize(request.headers()) > limits.maxMetadataBytes()) {
      tracer.reject(method.descriptor(), GrpcRejectionReason.METADATA_TOO_LARGE, "request metadata", "maxMetadataBytes=" + limits.maxMetadataBytes());
      return trailersOnly(Status.of(StatusCode.RESOURCE_EXHAUSTED, "request metadata over " + limits.maxMetadataBytes() + " bytes"));
    }
    Instant deadline = null;
    String timeout = request.headers().first(GrpcHeaders.GRPC_TIMEOUT);
    if (timeout != null) {
      long nanos = GrpcTimeout.parseNanos(timeout);
      if (nanos == GrpcTimeout.MALFORMED) {
        tracer.reject(method.descriptor(), GrpcRejectionReason.MALFORMED_TIMEOUT, "malformed grpc-timeout", "");
        return trailersOnly(Status.of(StatusCode.INTERNAL, "malformed grpc-timeout"));
      }
      if (nanos == 0) {
        return trailersOnly(Status.of(StatusCode.DEADLINE_EXCEEDED, "deadline exceeded on arrival"));
      }
      deadline = cx.now().plus(Duration.ofNanos(nanos));
    }
    Duration cap = limits.maxTimeout();
    if (cap != null) {
      Instant capped = cx.now().plus(cap);
      deadline = deadline == null || capped.isBefore(deadline) ? capped : deadline;
    }
    return serve(cx, request, method, deadline);
  }

  private <Req, Resp> HttpResponse serve(Cx cx, HttpRequest request, GrpcService.Method<Req, Resp> method, @Nullable Instant deadline)
      throws Exception {
    ServerCallImpl<Req, Resp> call = new ServerCallImpl<>(method.descriptor(), request, deadline, limits, tracer);
    Budget budget = deadline == null ? Budget.unlimited() : Budget.unlimited().withDeadline(deadline);
    if (method.descriptor().type().serverSendsOne()) {
      SingleResponse<Resp> response = new SingleResponse<>(call);
      Outcome<Void> outcome =
          cx.scope(RegionPolicy.FAIL_FAST, budget, c -> {
            method.handler().handle(c, call, call, response);
            return null;
          });
      cx.checkpoint(); // the client went away: nothing to answer
      return answer(call, outcome, response.framed, true);
    }
    MpscChannel<byte[]> out = MpscChannel.bounded(1);
    TaskHandle<Outcome<Void>> handler =
        cx.spawn("grpc " + method.descriptor().fullName(), c -> {
          try {
            // The scope keeps the handler's failure in its Outcome: it must not fail the request region.
            return c.scope(RegionPolicy.FAIL_FAST, budget, inner -> {
              method.handler().handle(inner, call, call, new StreamingResponses<>(call, out));
              return null;
            });
          } finally {
            out.close();
          }
        });
    byte[] first;
    try {
      first = out.recv(cx);
    } catch (ChannelClosedException finishedWithoutResponse) {
      return answer(call, joined(cx, handler), null, false);
    }
    HttpHeaders head = call.commitHeaders();
    return HttpResponse.status(200)
        .headers(head)
        .streaming((c, sink) -> {
          sink.write(c, first);
          while (true) {
            byte[] next;
            try {
              next = out.recv(c);
            } catch (ChannelClosedException handlerDone) {
              break;
            }
            sink.write(c, next);
          }
          Outcome<Void> outcome = joined(c, handler);
          sink.trailers(call.trailersFor(Status.fromOutcome(outcome), extraTrailers(outcome)));
        })
        .build();
  }

  private static Outcome<Void> joined(Cx cx, TaskHandle<Outcome<Void>> handler) {
    Outcome<Outcome<Void>> done = handler.join(cx);
    if (done instanceof Outcome.Ok<Outcome<Void>> ok && ok.value() != null) {
      return ok.value();
    }
    @SuppressWarnings("unchecked")
    Outcome<Void> failed = (Outcome<Void>) (Outcome<?>) done;
    return failed;
  }

  /** The answer of a call whose handler ended with {@code outcome}, nothing sent yet. */
  private HttpResponse answer(ServerCallImpl<?, ?> call, Outcome<Void> outcome, byte @Nullable [] framed, boolean oneResponse) {
    Status status = Status.fromOutcome(outcome);
    if (status.isOk() && framed == null && oneResponse) {
      status = Status.of(StatusCode.INTERNAL, "the handler finished without a response");
    }
    HttpHeaders head = call.commitHeaders();
    HttpHeaders trailers = call.trailersFor(status, extraTrailers(outcome));
    if (framed == null || !status.isOk()) {
      return HttpResponse.status(200).headers(head).headers(trailers).build();
    }
    return HttpResponse.status(200).headers(head).body(framed).trailers(trailers).build();
  }

  private static HttpHeaders extraTrailers(Outcome<?> outcome) {
    return outcome instanceof Outcome.Err<?> err && err.error() instanceof GrpcStatusException e ? e.trailers() : HttpHeaders.empty();
  }

  private static HttpResponse trailersOnly(Status status) {
    return HttpResponse.status(200)
        .header(GrpcHeaders.CONTENT_TYPE, GrpcHeaders.APPLICATION_GRPC)
        .header(GrpcHeaders.GRPC_ACCEPT_ENCODING, GrpcHeaders.ACCEPTED_ENCODINGS)
        .headers(ServerCallImpl.statusFields(status).build())
        .build();
  }

  /** The one response of a unary or client-streaming call, kept until the handler's region closed. */
  private static final class SingleResponse<Resp> implements MessageWriter<Resp> {
    private final ServerCallImpl<?, Resp> call;
    byte @Nullable [] framed;

    SingleResponse(ServerCallImpl<?, Resp> call) {
      this.call = call;
    }

    @Override
    public void send(Cx cx, Resp message) throws GrpcStatusException {
      if (framed != null) {
        throw new IllegalStateException(call.method().fullName() + " answers with one message");
      }
      framed = call.frame(message);
    }
  }

  /** Responses of a streaming call, handed to the request's task that writes them to the stream. */
  private static final class StreamingResponses<Resp> implements MessageWriter<Resp> {
    private final ServerCallImpl<?, Resp> call;
    private final MpscChannel<byte[]> out;

    StreamingResponses(ServerCallImpl<?, Resp> call, MpscChannel<byte[]> out) {
      this.call = call;
      this.out = out;
    }

    @Override
    public void send(Cx cx, Resp message) throws GrpcStatusException {
      byte[] framed = call.frame(message);
      call.commitHeaders(); // the head goes out with the first message: later addHeader calls fail
      try {
        out.send(cx, framed);
      } catch (ChannelClosedException e) {
        throw new GrpcStatusException(StatusCode.CANCELLED, "the call's stream is gone");
      }
    }
  }

  /** The router's rejection counters and trace events (no trace events without a trace buffer). */
  static final class Tracer {
    private final @Nullable TraceBuffer trace;
    private final EnumMap<GrpcRejectionReason, LongAdder> rejections = new EnumMap<>(GrpcRejectionReason.class);

    Tracer(@Nullable TraceBuffer trace) {
      this.trace = trace;
      for (GrpcRejectionReason r : GrpcRejectionReason.values()) {
        rejections.put(r, new LongAdder());
      }
    }

    /** Counts {@code reason} and traces it with a human {@code detail} (and the limit, for limits). */
    void reject(MethodDescriptor<?, ?> method, GrpcRejectionReason reason, String detail, String limit) {
      rejections.get(reason).increment();
      if (reason.isLimit()) {
        record(TraceKind.LIMIT_EXCEEDED, Map.of("protocol", "grpc", "reason", detail, "limit", limit, "route", method.fullName()));
      } else {
        record(TraceKind.PROTOCOL_ERROR, Map.of("protocol", "grpc", "reason", detail, "route", method.fullName()));
      }
    }

    Map<GrpcRejectionReason, Long> rejections() {
      EnumMap<GrpcRejectionReason, Long> copy = new EnumMap<>(GrpcRejectionReason.class);
      rejections.forEach((k, v) -> copy.put(k, v.sum()));
      return Collections.unmodifiableMap(copy);
    }

    private void record(TraceKind kind, Map<String, String> attributes) {
      TraceBuffer t = trace;
      if (t != null) {
        t.record(kind, 0, 0, 0, attributes);
      }
    }
  }

  /** Collects the services of a {@link GrpcRouter}. */
  public static final class Builder {
    private final Map<String, GrpcService> services = new LinkedHashMap<>();
    private GrpcLimits limits = GrpcLimits.defaults();
    private @Nullable TraceBuffer trace;

    private Builder() {}

    /** @throws IllegalArgumentException if a service of the same name was added */
    public Builder service(GrpcService service) {
      if (services.putIfAbsent(service.name(), service) != null) {
        throw new IllegalArgumentException("service " + service.name() + " is added twice");
      }
      return this;
    }

    public Builder limits(GrpcLimits value) {
      this.limits = Objects.requireNonNull(value, "limits");
      return this;
    }

    /** Record limit hits ({@code LIMIT_EXCEEDED}) and protocol errors ({@code PROTOCOL_ERROR}) here. */
    public Builder trace(TraceBuffer value) {
      this.trace = Objects.requireNonNull(value, "trace");
      return this;
    }

    public GrpcRouter build() {
      return new GrpcRouter(this);
    }
  }
}
