package io.asupersync.protocols.http;

import io.asupersync.Runtime;
import io.asupersync.protocols.http.internal.Http1UpgradeHandler;
import io.asupersync.protocols.http.internal.Router;
import io.asupersync.protocols.http.internal.ServerConfig;
import io.asupersync.protocols.http.internal.ServerEngine;
import io.asupersync.protocols.websocket.WebSocketHandler;
import io.asupersync.protocols.websocket.WebSocketLimits;
import io.asupersync.protocols.websocket.WebSocketRejectionReason;
import io.asupersync.protocols.websocket.internal.WebSocketUpgrade;
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One Netty server for HTTP/1.1 and HTTP/2: a cleartext port (HTTP/1.1, h2c by prior knowledge and by
 * {@code Upgrade: h2c}) and a TLS port (ALPN {@code h2} or {@code http/1.1}). Every request runs in its
 * own region on a virtual thread of the given runtime; see {@link HttpHandler} for how its outcome
 * becomes the answer.
 *
 * <pre>{@code
 * AsupersyncServer server = AsupersyncServer.builder(runtime)
 *     .cleartextPort(8080)
 *     .route("GET", "/users/{id}", (cx, request) -> HttpResponse.ok("user " + request.pathParam("id")))
 *     .start();
 * ...
 * server.shutdown(); // graceful: lets in-flight requests finish within the shutdown timeout
 * }</pre>
 *
 * <p><b>Client timeout.</b> A client may shorten its request's budget with the header {@code
 * request-timeout: <milliseconds>} (1 to 9 decimal digits). The budget is the server's default timeout
 * met with that value capped by {@link Builder#maxClientTimeout}; a malformed value is answered 400.
 */
public final class AsupersyncServer implements AutoCloseable {

  /** The header a client uses to shorten its request's budget, in milliseconds. */
  public static final String CLIENT_TIMEOUT_HEADER = "request-timeout";

  private final ServerEngine engine;
  private final @Nullable WebSocketUpgrade websockets;

  private AsupersyncServer(ServerEngine engine, @Nullable WebSocketUpgrade websockets) {
    this.engine = engine;
    this.websockets = websockets;
  }

  /** A builder of a server whose requests run on {@code runtime} (the server does not own it). */
  public static Builder builder(Runtime runtime) {
    return new Builder(runtime);
  }

  /** The bound cleartext port, or -1 when the server has none. */
  public int cleartextPort() {
    return engine.cleartextPort();
  }

  /** The bound TLS port, or -1 when the server has none. */
  public int tlsPort() {
    return engine.tlsPort();
  }

  /** How many requests or connections were refused, by reason; every reason is present. */
  public Map<RejectionReason, Long> rejections() {
    return engine.rejections();
  }

  /**
   * How many WebSocket upgrades were refused or connections failed, by reason, over every {@link
   * Builder#websocket} endpoint; every reason is present (all zero without endpoints).
   */
  public Map<WebSocketRejectionReason, Long> websocketRejections() {
    WebSocketUpgrade w = websockets;
    return w == null ? WebSocketUpgrade.none() : w.rejections();
  }

  /** The number of requests being served right now. */
  public int inFlight() {
    return engine.inFlight();
  }

  /**
   * Stops accepting connections, lets requests in flight finish, and closes: HTTP/2 connections get a
   * GOAWAY announcing the shutdown, then (after a PING round trip) a second GOAWAY naming the last
   * stream served; HTTP/1.1 connections close after their current response (idle ones at once). Past
   * the shutdown timeout, requests still running are cancelled ({@code SHUTDOWN}) and the connections
   * closed. Idempotent; returns once the event loops stopped.
   *
   * @return whether everything finished within the timeout
   */
  public boolean shutdown() {
    return engine.shutdown();
  }

  /** {@link #shutdown()}. */
  @Override
  public void close() {
    shutdown();
  }

  /** Configures an {@link AsupersyncServer}; every setting has the documented default. */
  public static final class Builder {
    private final Runtime runtime;
    private int cleartextPort = -1;
    private int tlsPort = -1;
    private @Nullable Supplier<SslContext> tlsContext;
    private @Nullable InetAddress bindAddress;
    private Http1Limits http1Limits = Http1Limits.defaults();
    private Http2Limits http2Limits = Http2Limits.defaults();
    private Duration defaultTimeout = Duration.ofSeconds(30);
    private @Nullable Duration maxClientTimeout;
    private Duration shutdownTimeout = Duration.ofSeconds(30);
    private boolean nativeTransport = true;
    private int ioThreads;
    private final Router.Builder routes = Router.builder();
    private final List<HttpFilter> filters = new ArrayList<>();
    private final Map<String, Http1UpgradeHandler> upgrades = new LinkedHashMap<>();
    private @Nullable WebSocketUpgrade websockets;

    private Builder(Runtime runtime) {
      this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    /** Serves HTTP/1.1 and h2c on {@code port} (0 picks a free one); default: no cleartext port. */
    public Builder cleartextPort(int port) {
      this.cleartextPort = checkPort(port);
      return this;
    }

    /** Serves TLS with ALPN on {@code port} (0 picks a free one); needs {@link #tlsContext}. Default: none. */
    public Builder tlsPort(int port) {
      this.tlsPort = checkPort(port);
      return this;
    }

    /**
     * Where TLS connections get their context: called once per accepted connection, so a supplier that
     * reloads certificates takes effect on new connections. It runs on the connection's event loop, so
     * it must be cheap: return a prepared context (swap in a reloaded one elsewhere), never build one.
     * The context must be a server context that advertises ALPN {@code h2} and {@code http/1.1}.
     */
    public Builder tlsContext(Supplier<SslContext> supplier) {
      this.tlsContext = Objects.requireNonNull(supplier, "supplier");
      return this;
    }

    /** Local address to bind; default: every interface. */
    public Builder bindAddress(InetAddress address) {
      this.bindAddress = Objects.requireNonNull(address, "address");
      return this;
    }

    public Builder http1Limits(Http1Limits limits) {
      this.http1Limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    public Builder http2Limits(Http2Limits limits) {
      this.http2Limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** Budget of a request that does not ask for less; default 30 s. Past it the request is cancelled: 503. */
    public Builder defaultTimeout(Duration timeout) {
      this.defaultTimeout = positive(timeout, "defaultTimeout");
      return this;
    }

    /** Cap on the client's {@value #CLIENT_TIMEOUT_HEADER} value; default: the default timeout. */
    public Builder maxClientTimeout(Duration timeout) {
      this.maxClientTimeout = positive(timeout, "maxClientTimeout");
      return this;
    }

    /** How long {@link AsupersyncServer#shutdown()} waits for requests in flight; default 30 s. */
    public Builder shutdownTimeout(Duration timeout) {
      this.shutdownTimeout = positive(timeout, "shutdownTimeout");
      return this;
    }

    /** Whether to use the native epoll transport where it loads (NIO otherwise); default true. */
    public Builder nativeTransport(boolean enabled) {
      this.nativeTransport = enabled;
      return this;
    }

    /** Event-loop threads for connections; default 0: Netty's default (twice the processors). */
    public Builder ioThreads(int threads) {
      if (threads < 0) {
        throw new IllegalArgumentException("ioThreads must not be negative, was " + threads);
      }
      this.ioThreads = threads;
      return this;
    }

    /**
     * Routes {@code method} requests whose path matches {@code pattern} to {@code handler}. A pattern is
     * literal segments, {@code {name}} for one segment, and optionally a last {@code {*name}} for the
     * rest of the path: {@code /users/{id}}, {@code /files/{*path}}. Literal segments win over variables.
     * A HEAD request falls back to the GET route (the body is dropped). No match: 404; a path that
     * matches under other methods only: 405 with {@code allow}.
     */
    public Builder route(String method, String pattern, HttpHandler handler) {
      routes.add(method.toUpperCase(Locale.ROOT), pattern, handler);
      return this;
    }

    /**
     * For protocol modules whose requests are long-lived message streams (gRPC): routes like {@link
     * #route}, but on HTTP/2 the request gets no server deadline (the default timeout and {@value
     * #CLIENT_TIMEOUT_HEADER} do not apply) and its body no total size limit; the handler must apply its
     * own deadline and bound each message. Not application API.
     */
    public Builder streamRoute(String method, String pattern, HttpHandler handler) {
      routes.add(method.toUpperCase(Locale.ROOT), pattern, handler, true);
      return this;
    }

    public Builder get(String pattern, HttpHandler handler) {
      return route("GET", pattern, handler);
    }

    public Builder post(String pattern, HttpHandler handler) {
      return route("POST", pattern, handler);
    }

    /** Adds a filter around every request; the first added is the outermost. */
    public Builder filter(HttpFilter filter) {
      filters.add(Objects.requireNonNull(filter, "filter"));
      return this;
    }

    /**
     * For protocol modules (WebSocket): lets {@code handler} take over HTTP/1.1 connections whose
     * request asks to upgrade to {@code token}. See {@link Http1UpgradeHandler}; not application API.
     */
    public Builder http1Upgrade(String token, Http1UpgradeHandler handler) {
      upgrades.put(token.toLowerCase(Locale.ROOT), Objects.requireNonNull(handler, "handler"));
      return this;
    }

    /** {@link #websocket(String, WebSocketLimits, List, WebSocketHandler)} with default limits and no subprotocols. */
    public Builder websocket(String path, WebSocketHandler handler) {
      return websocket(path, WebSocketLimits.defaults(), List.of(), handler);
    }

    /**
     * Serves WebSocket (RFC 6455, upgraded from HTTP/1.1 on either port) on {@code path}, matched
     * exactly (the query is ignored). Each connection runs {@code handler} in a region of its own.
     *
     * @param subprotocols what the endpoint speaks, chosen in the client's order of preference
     */
    public Builder websocket(String path, WebSocketLimits limits, List<String> subprotocols, WebSocketHandler handler) {
      if (websockets == null) {
        websockets = new WebSocketUpgrade(runtime);
        http1Upgrade(WebSocketUpgrade.TOKEN, websockets);
      }
      websockets.add(path, limits, subprotocols, handler);
      return this;
    }

    /**
     * Binds the ports and starts serving.
     *
     * @throws IllegalStateException when no port is configured, or a TLS port has no context
     * @throws java.io.UncheckedIOException when a port cannot be bound
     */
    public AsupersyncServer start() {
      if (cleartextPort < 0 && tlsPort < 0) {
        throw new IllegalStateException("configure a cleartextPort, a tlsPort, or both");
      }
      if (tlsPort >= 0 && tlsContext == null) {
        throw new IllegalStateException("a tlsPort needs a tlsContext");
      }
      ServerConfig config =
          new ServerConfig(
              runtime,
              cleartextPort,
              tlsPort,
              tlsContext,
              bindAddress,
              http1Limits,
              http2Limits,
              defaultTimeout,
              maxClientTimeout != null ? maxClientTimeout : defaultTimeout,
              shutdownTimeout,
              nativeTransport,
              ioThreads,
              routes.build(),
              List.copyOf(filters),
              Map.copyOf(upgrades));
      return new AsupersyncServer(ServerEngine.start(config), websockets);
    }

    private static int checkPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in [0, 65535], was " + port);
      }
      return port;
    }

    private static Duration positive(Duration value, String name) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
      return value;
    }
  }
}
