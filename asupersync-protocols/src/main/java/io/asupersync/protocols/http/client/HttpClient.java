package io.asupersync.protocols.http.client;

import io.asupersync.CancelledException;
import io.asupersync.Cx;
import io.asupersync.Runtime;
import io.asupersync.protocols.client.CallOutcome;
import io.asupersync.protocols.client.ClientCallObserver;
import io.asupersync.protocols.client.OutgoingCall;
import io.asupersync.protocols.http.Http1Limits;
import io.asupersync.protocols.http.Http2Limits;
import io.asupersync.protocols.http.client.HttpClientException.Reason;
import io.asupersync.protocols.tls.ClientTls;
import io.asupersync.protocols.tls.TlsConfigException;
import io.asupersync.trace.TraceKind;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP/1.1 and HTTP/2 client for tasks of one {@link Runtime}.
 *
 * <pre>{@code
 * try (HttpClient client = HttpClient.builder(runtime).build()) {
 *   runtime.run(cx -> client.send(cx, ClientRequest.get("https://example.com/")).string(cx));
 * }
 * }</pre>
 *
 * <p><b>Deadlines and cancellation.</b> A call has no timeout of its own: it waits (to connect, for the
 * response headers, for each body chunk) within the caller's Cx budget. When the deadline passes or the
 * caller is cancelled, the call throws {@link CancelledException} with the caller's reason (kind {@code
 * DEADLINE}, {@code TIMEOUT}, ...), and the request is abandoned on the wire: an HTTP/2 stream is reset
 * with CANCEL, an HTTP/1.1 connection is closed (it cannot be reused mid-response).
 *
 * <p><b>Protocols.</b> {@code https} origins negotiate h2 or http/1.1 by ALPN; {@code http} origins speak
 * HTTP/1.1, or HTTP/2 with prior knowledge when {@link Builder#cleartextHttp2} is set.
 *
 * <p><b>Pool.</b> Connections are kept per origin (scheme, host, port): up to {@link
 * Builder#maxConnectionsPerOrigin} HTTP/1.1 connections carrying one exchange each, or HTTP/2 connections
 * multiplexing streams up to the server's concurrency limit (normally one connection per origin). A
 * connection idle for {@link Builder#idleTimeout} is closed.
 *
 * <p><b>Limits.</b> Responses are held to {@link Http1Limits} (status line, header block, header count,
 * body size, which also apply to HTTP/2 responses) and {@link Http2Limits} (frame size, header list,
 * HPACK table, reset floods); a response over a limit fails with {@link HttpClientException} naming it,
 * and the connection (HTTP/1.1) or stream (HTTP/2) is dropped while the pool keeps serving.
 *
 * <p>Each call records a {@link TraceKind#CLIENT_CALL} event: {@code protocol}, {@code operation} (the
 * method), {@code scheme}, {@code host}, {@code result} (the status, a failure reason, or {@code
 * cancelled:KIND}) and {@code durationMicros}, plus the {@linkplain ClientCallObserver.Call#traceAttributes
 * attributes} of the {@link Builder#observer observer}'s call (trace and span ids). Never a header
 * value, path or body.
 *
 * <p><b>Observer.</b> The {@link ClientCallObserver} sees each call start (and may add headers to it:
 * a {@code traceparent}) and end: with the response status once the status and headers arrived, a
 * {@link CallOutcome.Failed} without a response, or {@link CallOutcome.Cancelled}. Reading the body
 * happens after the end.
 *
 * <p>Thread-safe.
 */
public final class HttpClient implements AutoCloseable {
  private final Runtime runtime;
  private final EventLoopGroup group;
  private final Pool pool;
  private final Http1Limits http1Limits;
  private final ClientCallObserver observer;

  private HttpClient(Builder b, ClientTls tls) {
    this.runtime = b.runtime;
    this.http1Limits = b.http1Limits;
    this.observer = b.observer;
    this.group = new MultiThreadIoEventLoopGroup(b.ioThreads, new DefaultThreadFactory("asupersync-http-client", true), NioIoHandler.newFactory());
    Connector connector = new Connector(group, b.http1Limits, b.http2Limits, tls, b.cleartextHttp2, b.connectTimeout);
    this.pool = new Pool(connector, group, b.maxConnectionsPerOrigin, b.idleTimeout);
  }

  public static Builder builder(Runtime runtime) {
    return new Builder(runtime);
  }

  /**
   * Sends {@code request} and waits, within {@code cx}'s budget, for the response status and headers.
   *
   * @return the response; read or close its body
   * @throws HttpClientException if connecting, the TLS handshake or the response failed (typed reason)
   * @throws CancelledException if the caller is cancelled or its deadline passes first
   */
  public ClientResponse send(Cx cx, ClientRequest request) throws HttpClientException {
    Objects.requireNonNull(request, "request");
    Origin origin = Origin.of(request.uri());
    ClientRequest.Extension extension = request.new Extension();
    ClientCallObserver.Call observed = observer.start(new OutgoingCall(
        OutgoingCall.Protocol.HTTP, request.method(), origin.scheme(), origin.authority(), request.path(), extension));
    request = extension.request();
    CallTrace trace = new CallTrace(request.method(), origin.scheme(), origin.host(), System.nanoTime(), observed);
    String protocol = "";
    for (int attempt = 1; ; attempt++) {
      Exchange exchange = null;
      try {
        Connection connection = pool.acquire(cx, origin);
        protocol = connection.protocol().alpnId();
        boolean reused = connection instanceof H1Connection h1 && h1.uses() > 0;
        exchange = new Exchange(http1Limits.maxBodyBytes());
        connection.start(request, origin, exchange);
        try {
          int status = exchange.awaitHeaders(cx);
          end(observed, new CallOutcome.HttpStatus(status));
          record(cx, trace, protocol, Integer.toString(status));
          return new ClientResponse(this, exchange, trace, status, connection.protocol(), connection.tls());
        } catch (HttpClientException e) {
          // A kept-alive connection the server closed while idle fails before any response byte: that
          // request never reached a handler, so an idempotent one may go again on a fresh connection.
          if (reused && attempt == 1 && e.reason() == Reason.CONNECTION_CLOSED && request.isIdempotent()) {
            continue;
          }
          throw e;
        }
      } catch (CancelledException e) {
        if (exchange != null) {
          exchange.cancel("caller cancelled: " + e.reason().kind());
        }
        end(observed, new CallOutcome.Cancelled(e.reason()));
        record(cx, trace, protocol, "cancelled:" + e.reason().kind());
        throw e;
      } catch (HttpClientException | RuntimeException e) {
        end(observed, new CallOutcome.Failed(e));
        record(cx, trace, protocol, e instanceof HttpClientException h ? h.reason().name() : e.getClass().getSimpleName());
        throw e;
      }
    }
  }

  private static void end(ClientCallObserver.Call observed, CallOutcome outcome) {
    try {
      observed.end(outcome);
    } catch (RuntimeException e) {
      // The observer's failure is not the call's; see ClientCallObserver.
    }
  }

  void traceFailure(Cx cx, CallTrace trace, String result) {
    record(cx, trace, "", result);
  }

  private void record(Cx cx, CallTrace trace, String protocol, String result) {
    long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - trace.startNanos());
    Map<String, String> attributes = new HashMap<>(trace.observed().traceAttributes());
    attributes.put("protocol", protocol);
    attributes.put("operation", trace.method());
    attributes.put("scheme", trace.scheme());
    attributes.put("host", trace.host());
    attributes.put("result", result);
    attributes.put("durationMicros", Long.toString(micros));
    runtime.trace().record(TraceKind.CLIENT_CALL, cx.taskId(), cx.regionId(), 0, attributes);
  }

  /** Open pooled connections to the origin of {@code uri} (for tests and diagnostics). */
  int connections(java.net.URI uri) {
    return pool.connections(Origin.of(uri));
  }

  /** Closes every connection (in-flight calls fail with {@link Reason#CLIENT_CLOSED} or a closed connection) and the I/O threads. */
  @Override
  public void close() {
    pool.close();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final Runtime runtime;
    private Http1Limits http1Limits = Http1Limits.defaults();
    private Http2Limits http2Limits = Http2Limits.defaults();
    private @Nullable ClientTls tls;
    private int maxConnectionsPerOrigin = 8;
    private Duration idleTimeout = Duration.ofSeconds(30);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private boolean cleartextHttp2;
    private int ioThreads = 1;
    private ClientCallObserver observer = ClientCallObserver.none();

    private Builder(Runtime runtime) {
      this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    /** Limits on responses; the body limit applies to HTTP/2 responses too. Default {@link Http1Limits#defaults()}. */
    public Builder http1Limits(Http1Limits value) {
      http1Limits = Objects.requireNonNull(value, "http1Limits");
      return this;
    }

    /** HTTP/2 settings we advertise and enforce. Default {@link Http2Limits#defaults()}. */
    public Builder http2Limits(Http2Limits value) {
      http2Limits = Objects.requireNonNull(value, "http2Limits");
      return this;
    }

    /** TLS for https origins; default {@link ClientTls#systemDefault()} (JDK CAs, hostname verification on). */
    public Builder tls(ClientTls value) {
      tls = Objects.requireNonNull(value, "tls");
      return this;
    }

    /** Most connections kept to one origin at once; default 8. */
    public Builder maxConnectionsPerOrigin(int value) {
      if (value <= 0) {
        throw new IllegalArgumentException("maxConnectionsPerOrigin must be positive, was " + value);
      }
      maxConnectionsPerOrigin = value;
      return this;
    }

    /** An unused connection is closed after this; default 30 s, below common server keep-alive timeouts. */
    public Builder idleTimeout(Duration value) {
      idleTimeout = positive("idleTimeout", value);
      return this;
    }

    /** Upper bound for the TCP connect beside the caller's budget; default 10 s. */
    public Builder connectTimeout(Duration value) {
      connectTimeout = positive("connectTimeout", value);
      return this;
    }

    /** Whether {@code http} origins are spoken to in HTTP/2 with prior knowledge (h2c) instead of HTTP/1.1; default false. */
    public Builder cleartextHttp2(boolean value) {
      cleartextHttp2 = value;
      return this;
    }

    /** Event loop threads for all connections; default 1. */
    public Builder ioThreads(int value) {
      if (value <= 0) {
        throw new IllegalArgumentException("ioThreads must be positive, was " + value);
      }
      ioThreads = value;
      return this;
    }

    /** Sees each call start and end, and may add headers to it; default {@link ClientCallObserver#none()}. */
    public Builder observer(ClientCallObserver value) {
      observer = Objects.requireNonNull(value, "observer");
      return this;
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
      return value;
    }

    /** @throws TlsConfigException if no TLS was set and the system default context cannot be built */
    public HttpClient build() throws TlsConfigException {
      return new HttpClient(this, tls != null ? tls : ClientTls.systemDefault());
    }
  }
}
