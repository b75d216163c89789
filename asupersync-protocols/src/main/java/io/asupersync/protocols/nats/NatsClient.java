package io.asupersync.protocols.nats;

import io.asupersync.Cx;
import io.asupersync.Runtime;
import io.asupersync.protocols.tls.ClientTls;
import io.asupersync.protocols.tls.TlsConfigException;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A NATS client: publish, subscribe, request-reply and {@linkplain #jetStream() JetStream}, over one
 * logical connection that reconnects with backoff and subscribes again by itself.
 *
 * <pre>{@code
 * try (NatsClient nats = NatsClient.builder(runtime).server("127.0.0.1", 4222).connect(cx)) {
 *   NatsSubscription sub = nats.subscribe(cx, "greet");
 *   nats.publish(cx, "greet", "hello".getBytes(UTF_8));
 *   NatsMessage m = sub.next(cx);
 * }
 * }</pre>
 *
 * <p><b>Cancellation.</b> Every operation takes the caller's {@link Cx}: its waits wake on
 * cancellation and on the budget deadline. The commit point is the hand-over of the operation's bytes
 * to the connection: a cancel observed before it leaves nothing sent; a cancel after it releases the
 * caller while the bytes still go out, and a reply that arrives later is dropped and counted ({@link
 * NatsStats#lateReplies()}). A cancelled request removes its reply inbox. Cancellation never closes
 * the connection: NATS operations are whole frames, so the protocol state stays known.
 *
 * <p><b>Failures.</b> {@link NatsException} with a {@link NatsException.Reason}; a server that breaks
 * the protocol or a {@link NatsLimits limit} gets its connection closed ({@link
 * NatsProtocolException}) and every operation in flight on it fails as {@code OUTCOME_UNKNOWN};
 * operations issued while the client reconnects wait for the new connection, at most {@link
 * Builder#awaitConnected(Duration)}.
 *
 * <p><b>Observability.</b> Every operation records a {@code CLIENT_CALL} trace event with the
 * operation and its result (never subjects, payloads or credentials); counters are in {@link
 * #stats()}.
 *
 * <p><b>TLS.</b> With {@link Builder#tls(ClientTls)} (or a {@code tls://} server URL) every connection is
 * upgraded to TLS after the server's INFO, as the NATS protocol does it: the server must offer TLS, its
 * certificate must chain to the trusted CAs and name the host dialled (unless hostname verification is
 * turned off), and CONNECT with the credentials goes out only over the encrypted connection. A server
 * that requires TLS from a client configured without it is refused with {@code CONNECT_FAILED}.
 *
 * <p>Thread-safe: any number of tasks may share one client.
 */
public final class NatsClient implements AutoCloseable {

  private final Engine engine;
  private final JetStream jetStream;

  private NatsClient(Engine engine) {
    this.engine = engine;
    this.jetStream = new JetStream(engine, Duration.ofSeconds(5));
  }

  /** Starts configuring a client whose trace events go to {@code runtime}. */
  public static Builder builder(Runtime runtime) {
    return new Builder(runtime);
  }

  /**
   * Publishes {@code data} to {@code subject}; returns once the bytes were written to the socket.
   *
   * @throws NatsException {@code PAYLOAD_TOO_LARGE} (nothing sent), {@code NOT_CONNECTED}, {@code
   *     CLOSED}, or {@code OUTCOME_UNKNOWN} if the connection broke during the write
   * @throws IllegalArgumentException if the subject is empty or holds whitespace
   */
  public void publish(Cx cx, String subject, byte[] data) throws NatsException {
    publish(cx, new NatsMessage(subject, null, NatsHeaders.empty(), data));
  }

  /** Publishes {@code message} (with its reply subject and headers, if any); see {@link #publish(Cx, String, byte[])}. */
  public void publish(Cx cx, NatsMessage message) throws NatsException {
    engine.telemetry.traced(cx, "publish", () -> {
      engine.publish(cx, message.subject(), message.replyTo(), message.headers(), message.data(), true);
      return null;
    });
  }

  /** Subscribes to {@code subject} (wildcards allowed). */
  public NatsSubscription subscribe(Cx cx, String subject) throws NatsException {
    return subscribe(cx, subject, null);
  }

  /**
   * Subscribes to {@code subject}, as a member of {@code queueGroup} if not null (each message goes
   * to one member of the group). The SUB is on its way when this returns; {@link #flush} waits until
   * the server has it.
   */
  public NatsSubscription subscribe(Cx cx, String subject, @Nullable String queueGroup) throws NatsException {
    return engine.telemetry.traced(cx, "subscribe", () -> engine.subscribe(cx, subject, queueGroup));
  }

  /** {@link #request(Cx, String, NatsHeaders, byte[], Duration)} without headers. */
  public NatsMessage request(Cx cx, String subject, byte[] data, Duration timeout) throws NatsException {
    return request(cx, subject, NatsHeaders.empty(), data, timeout);
  }

  /**
   * Sends a request and waits for the first reply.
   *
   * @throws NatsNoRespondersException if nobody is subscribed to {@code subject} (the request was
   *     not processed)
   * @throws NatsException {@code TIMEOUT} if no reply came within {@code timeout} (it may have been
   *     processed), {@code OUTCOME_UNKNOWN} if the connection was lost meanwhile, or as for publish
   * @throws io.asupersync.CancelledException if the caller is cancelled; its inbox is removed
   */
  public NatsMessage request(Cx cx, String subject, NatsHeaders headers, byte[] data, Duration timeout) throws NatsException {
    return engine.telemetry.traced(cx, "request", () -> engine.request(cx, "request", subject, headers, data, timeout));
  }

  /** Waits until the server processed everything this client sent before (PING, then its PONG). */
  public void flush(Cx cx, Duration timeout) throws NatsException {
    engine.telemetry.traced(cx, "flush", () -> {
      engine.flush(cx, timeout);
      return null;
    });
  }

  /** JetStream over this connection, with a 5 s timeout for its API calls and publishes. */
  public JetStream jetStream() {
    return jetStream;
  }

  /** JetStream with another timeout for its API calls and publishes. */
  public JetStream jetStream(Duration timeout) {
    return new JetStream(engine, timeout);
  }

  public NatsStats stats() {
    return engine.stats();
  }

  public boolean isConnected() {
    return engine.isConnected();
  }

  Engine engine() {
    return engine;
  }

  /**
   * Closes the connection without draining: waiting operations fail with {@code CLOSED},
   * subscriptions stop (queued messages can still be taken). Waits at most a few seconds for the
   * event loop. Idempotent.
   */
  @Override
  public void close() {
    engine.close();
  }

  /**
   * Configures a client. Credentials are sent to the server in CONNECT and nowhere else: not traced,
   * not logged, not in {@code toString}.
   */
  public static final class Builder {
    final Runtime runtime;
    final List<InetSocketAddress> servers = new ArrayList<>();
    @Nullable String user;
    @Nullable String password;
    @Nullable String token;
    String name = "asupersync";
    NatsLimits limits = NatsLimits.defaults();
    Duration connectTimeout = Duration.ofSeconds(2);
    Duration reconnectWait = Duration.ofMillis(100);
    Duration maxReconnectWait = Duration.ofSeconds(2);
    double reconnectJitter = 0.5;
    int maxReconnectAttempts = -1;
    Duration pingInterval = Duration.ofMinutes(2);
    int maxPingsOut = 2;
    Duration awaitConnected = Duration.ofSeconds(5);
    @Nullable EventLoopGroup group;
    @Nullable ClientTls tls;
    boolean tlsFromUrl;

    private Builder(Runtime runtime) {
      this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    /** Adds a server; several are tried in order when connecting and reconnecting. */
    public Builder server(String host, int port) {
      servers.add(InetSocketAddress.createUnresolved(host, port));
      return this;
    }

    /**
     * Adds a server given as {@code nats://host:port}, {@code tls://host:port} (or {@code host:port}); a
     * {@code tls://} URL makes every connection use TLS, with {@link ClientTls#systemDefault()} unless
     * {@link #tls} is set.
     */
    public Builder server(String url) {
      URI uri = URI.create(url.contains("://") ? url : "nats://" + url);
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("no host in server URL");
      }
      if (!"nats".equals(uri.getScheme()) && !"tls".equals(uri.getScheme())) {
        throw new IllegalArgumentException("server URL scheme must be nats or tls, was " + uri.getScheme());
      }
      tlsFromUrl |= "tls".equals(uri.getScheme());
      return server(uri.getHost(), uri.getPort() < 0 ? 4222 : uri.getPort());
    }

    /**
     * Connects with TLS: every connection is upgraded after the server's INFO, the server's certificate
     * checked by {@code value} (hostname verification included unless it was turned off there).
     */
    public Builder tls(ClientTls value) {
      this.tls = Objects.requireNonNull(value, "tls");
      return this;
    }

    /** Authenticates with a user name and password. */
    public Builder userInfo(String user, String password) {
      this.user = Objects.requireNonNull(user, "user");
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /** Authenticates with a token. */
    public Builder token(String token) {
      this.token = Objects.requireNonNull(token, "token");
      return this;
    }

    /** The client name the server shows in its monitoring; default {@code asupersync}. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    public Builder limits(NatsLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** Time for TCP connect plus handshake (INFO, CONNECT, PONG); default 2 s. */
    public Builder connectTimeout(Duration value) {
      this.connectTimeout = positive(value, "connect timeout");
      return this;
    }

    /**
     * Backoff between reconnect attempts: {@code wait × 2^(attempt-1)}, capped at {@code max}, each
     * stretched by a random factor in {@code [1, 1 + jitter)} drawn from a source seeded by the
     * runtime's seed; defaults 100 ms, 2 s, 0.5.
     */
    public Builder reconnectBackoff(Duration wait, Duration max, double jitter) {
      this.reconnectWait = positive(wait, "reconnect wait");
      this.maxReconnectWait = positive(max, "max reconnect wait");
      if (!(jitter >= 0 && jitter <= 1)) {
        throw new IllegalArgumentException("jitter must be within [0, 1], was " + jitter);
      }
      this.reconnectJitter = jitter;
      return this;
    }

    /** Reconnect attempts after a loss before the client closes itself; negative for no limit (default). */
    public Builder maxReconnectAttempts(int value) {
      this.maxReconnectAttempts = value;
      return this;
    }

    /** How often the client PINGs, and how many unanswered PINGs make the connection stale; default 2 min, 2. */
    public Builder ping(Duration interval, int maxOutstanding) {
      this.pingInterval = positive(interval, "ping interval");
      if (maxOutstanding < 1) {
        throw new IllegalArgumentException("max outstanding pings must be at least 1");
      }
      this.maxPingsOut = maxOutstanding;
      return this;
    }

    /** How long an operation issued while reconnecting waits for the connection (within its budget); default 5 s. */
    public Builder awaitConnected(Duration value) {
      this.awaitConnected = positive(value, "connected wait");
      return this;
    }

    /** Runs the connection on a shared event loop group instead of the client's own single thread. */
    public Builder eventLoopGroup(EventLoopGroup value) {
      this.group = Objects.requireNonNull(value, "group");
      return this;
    }

    /**
     * Connects (trying each server once) and returns the client once the server accepted CONNECT.
     *
     * @throws NatsException {@code AUTHORIZATION} if the server refused the credentials, {@code
     *     CONNECT_FAILED} otherwise
     * @throws io.asupersync.CancelledException if {@code cx} is cancelled first; nothing stays open
     */
    public NatsClient connect(Cx cx) throws NatsException {
      if (servers.isEmpty()) {
        throw new IllegalStateException("no server configured");
      }
      if (tlsFromUrl && tls == null) {
        try {
          tls = ClientTls.systemDefault();
        } catch (TlsConfigException e) {
          throw new NatsException(NatsException.Reason.CONNECT_FAILED, "no TLS for the tls:// server URL", e);
        }
      }
      Engine engine = new Engine(this);
      engine.connect(cx);
      return new NatsClient(engine);
    }

    private static Duration positive(Duration value, String what) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, was " + value);
      }
      return value;
    }

    @Override
    public String toString() {
      return "NatsClient.Builder[servers=" + servers + ", auth=" + (token != null ? "token" : user != null ? "user" : "none") + "]";
    }
  }
}
