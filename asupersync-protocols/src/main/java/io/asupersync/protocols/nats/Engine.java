package io.asupersync.protocols.nats;

import io.asupersync.CancelledException;
import io.asupersync.Cx;
import io.asupersync.Runtime;
import io.asupersync.Waker;
import io.asupersync.protocols.internal.NettyFutures;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The client's connection engine: one logical connection that outlives its TCP connections. All
 * connection state changes (connect, handshake, loss, reconnect, subscribe, unsubscribe, ping) run
 * on one Netty event loop; runtime tasks read the volatile {@link Live} connection and write
 * operations to its channel directly, and wait through their {@link Cx}.
 *
 * <p>Commit point: an operation is sent once its buffer is handed to {@code writeAndFlush}. Every
 * operation checks for cancellation right before that call, so a cancel observed earlier leaves
 * nothing sent; a cancel after it releases the caller while the write (and any reply) completes.
 * NATS operations are self-delimiting and written whole, so a cancelled operation never leaves the
 * protocol state unknown: only a decode error or a lost socket discards a connection.
 */
final class Engine {

  private static final System.Logger LOG = System.getLogger("io.asupersync.protocols.nats");

  enum Status {
    CONNECTING,
    CONNECTED,
    RECONNECTING,
    CLOSED
  }

  /** A connection that finished its handshake. */
  record Live(Channel channel, int maxPayload, long generation) {}

  /**
   * One server-side subscription. {@code sink} is null for the request inbox (replies are routed by
   * subject); {@code replay}: subscribe again on every new connection (else it ends with the
   * connection, like a fetch's inbox).
   */
  private record Interest(long sid, String subject, @Nullable String queue, @Nullable InboxSink sink, boolean replay) {}

  final NatsClient.Builder settings;
  private final List<InetSocketAddress> servers;
  final Runtime runtime;
  private final EventLoopGroup group;
  private final boolean ownsGroup;
  final EventLoop loop;
  final String inboxPrefix;
  private final AtomicLong sids = new AtomicLong();
  private final AtomicLong tokens = new AtomicLong();
  private final ConcurrentHashMap<Long, Interest> subs = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, InboxSink> inbox = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Waker> liveWaiters = new ConcurrentLinkedQueue<>();
  private final Settable<Boolean> firstConnect = new Settable<>();
  private final AtomicBoolean closeStarted = new AtomicBoolean();
  private volatile @Nullable Live live;
  private volatile Status status = Status.CONNECTING;
  private volatile @Nullable NatsException closedCause;

  final NatsTelemetry telemetry;

  // Confined to the event loop.
  private @Nullable Wire wire;
  private long generation;
  private int attempt;
  private int serverIndex;
  private boolean everConnected;
  private @Nullable ScheduledFuture<?> reconnectTask;
  private @Nullable ScheduledFuture<?> pingTask;
  private final ArrayDeque<Settable<Boolean>> pongs = new ArrayDeque<>();
  private final SplittableRandom jitter;

  Engine(NatsClient.Builder settings) {
    this.settings = settings;
    this.servers = List.copyOf(settings.servers);
    this.runtime = settings.runtime;
    this.telemetry = new NatsTelemetry(runtime);
    if (settings.group != null) {
      this.group = settings.group;
      this.ownsGroup = false;
    } else {
      this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
      this.ownsGroup = true;
    }
    this.loop = group.next();
    // Inbox names must not collide across clients and processes: a secure source, not the seed.
    byte[] id = new byte[12];
    new SecureRandom().nextBytes(id);
    this.inboxPrefix = "_INBOX." + HexFormat.of().formatHex(id) + ".";
    // Backoff jitter is reproducible from the runtime seed.
    this.jitter = new SplittableRandom(runtime.seed() ^ 0x6e617473L);
    long muxSid = sids.incrementAndGet();
    subs.put(muxSid, new Interest(muxSid, inboxPrefix + "*", null, null, true));
  }

  // ---------------------------------------------------------------- lifecycle

  /** Connects for the first time, trying each server once. */
  void connect(Cx cx) throws NatsException {
    loop.execute(this::connectAttempt);
    try {
      firstConnect.await(cx, null);
    } catch (NatsException | CancelledException e) {
      close();
      throw e;
    }
  }

  private void connectAttempt() {
    if (status == Status.CLOSED) {
      return;
    }
    InetSocketAddress server = servers.get(serverIndex++ % servers.size());
    String where = server.getHostString() + ":" + server.getPort();
    Wire w = new Wire(this, ++generation, settings.limits, settings.tls, server.getHostString(), server.getPort());
    wire = w;
    ChannelFuture cf = new Bootstrap()
        .group(loop)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout.toMillis()))
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new Wire.Decoder(w), w);
          }
        })
        .connect(server);
    w.attach(cf.channel());
    cf.addListener(f -> {
      if (!f.isSuccess()) {
        w.fail(new NatsException(NatsException.Reason.CONNECT_FAILED, "cannot connect to " + where, f.cause()));
      }
    });
    loop.schedule(() -> {
      if (!w.isConnected()) {
        w.fail(new NatsException(NatsException.Reason.CONNECT_FAILED, "no handshake with " + where + " within " + settings.connectTimeout));
      }
    }, settings.connectTimeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The handshake of {@code w} finished (PONG after CONNECT). On the event loop. */
  void connected(Wire w) {
    if (w != wire || status == Status.CLOSED) {
      w.fail(new NatsException(NatsException.Reason.CLOSED, "client is closed"));
      return;
    }
    Channel ch = w.channel();
    // Replay every subscription before publishing the connection, so no task's message can overtake them.
    for (Interest i : subs.values()) {
      ch.write(Encoder.subscribe(ch.alloc(), i.subject, i.queue, i.sid));
    }
    ch.flush();
    boolean reconnect = everConnected;
    everConnected = true;
    attempt = 0;
    live = new Live(ch, w.maxPayload(), w.generation);
    status = Status.CONNECTED;
    wakeLiveWaiters();
    if (reconnect) {
      telemetry.reconnected();
    }
    firstConnect.set(Boolean.TRUE);
    long interval = settings.pingInterval.toNanos();
    pingTask = loop.scheduleAtFixedRate(this::pingTick, interval, interval, TimeUnit.NANOSECONDS);
  }

  /** The server sent a new INFO on a live connection: the payload limit may have changed. On the event loop. */
  void infoUpdated(Wire w) {
    Live l = live;
    if (l != null && l.generation == w.generation) {
      live = new Live(l.channel, w.maxPayload(), l.generation);
    }
  }

  /** {@code w}'s socket is gone (or never came up), for {@code cause}. On the event loop, once per wire. */
  void lost(Wire w, NatsException cause) {
    if (w != wire) {
      return;
    }
    wire = null;
    live = null;
    cancel(pingTask);
    pingTask = null;
    NatsException unknown = cause.reason() == NatsException.Reason.OUTCOME_UNKNOWN
        ? cause
        : new NatsException(NatsException.Reason.OUTCOME_UNKNOWN, "connection lost", cause);
    failPending(unknown);
    for (Interest i : List.copyOf(subs.values())) {
      if (!i.replay && subs.remove(i.sid, i) && i.sink != null) {
        i.sink.fail(unknown);
      }
    }
    if (status == Status.CLOSED) {
      return;
    }
    if (!everConnected) {
      if (serverIndex < servers.size() && cause.reason() != NatsException.Reason.AUTHORIZATION) {
        connectAttempt();
      } else {
        firstConnect.fail(cause);
        closeInternal(cause);
      }
      return;
    }
    status = Status.RECONNECTING;
    LOG.log(System.Logger.Level.DEBUG, "NATS connection {0} lost: {1}", w.generation, cause.getMessage());
    attempt++;
    if (settings.maxReconnectAttempts >= 0 && attempt > settings.maxReconnectAttempts) {
      closeInternal(new NatsException(NatsException.Reason.CLOSED, "gave up after " + settings.maxReconnectAttempts + " reconnect attempts", cause));
      return;
    }
    reconnectTask = loop.schedule(this::connectAttempt, backoff(attempt).toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Exponential from the reconnect wait, capped, stretched by up to the jitter fraction. */
  Duration backoff(int n) {
    long base = settings.reconnectWait.toNanos();
    long capped = Math.min(settings.maxReconnectWait.toNanos(), base << Math.min(n - 1, 20));
    return Duration.ofNanos((long) (capped * (1 + jitter.nextDouble() * settings.reconnectJitter)));
  }

  private void pingTick() {
    Live l = live;
    Wire w = wire;
    if (l == null || w == null) {
      return;
    }
    if (pongs.size() >= settings.maxPingsOut) {
      w.fail(new NatsException(NatsException.Reason.OUTCOME_UNKNOWN, "stale connection: " + pongs.size() + " pings unanswered"));
      return;
    }
    pongs.add(new Settable<>());
    l.channel.writeAndFlush(Encoder.ping(l.channel.alloc()));
  }

  /** A PONG arrived on the live connection. On the event loop. */
  void pong() {
    Settable<Boolean> s = pongs.poll();
    if (s != null) {
      s.set(Boolean.TRUE);
    }
  }

  private void failPending(NatsException error) {
    for (Settable<Boolean> s; (s = pongs.poll()) != null; ) {
      s.fail(error);
    }
    for (Map.Entry<String, InboxSink> e : List.copyOf(inbox.entrySet())) {
      if (inbox.remove(e.getKey(), e.getValue())) {
        e.getValue().fail(error);
      }
    }
  }

  private void closeInternal(NatsException cause) {
    if (status == Status.CLOSED) {
      return;
    }
    status = Status.CLOSED;
    closedCause = cause;
    live = null;
    cancel(reconnectTask);
    cancel(pingTask);
    Wire w = wire;
    wire = null;
    if (w != null) {
      w.fail(cause);
    }
    NatsException closed = new NatsException(NatsException.Reason.CLOSED, "client closed", cause);
    failPending(closed);
    for (Interest i : subs.values()) {
      if (i.sink != null) {
        i.sink.fail(closed);
      }
    }
    subs.clear();
    firstConnect.fail(cause);
    wakeLiveWaiters();
  }

  /** Closes the connection and stops the event loop if the client owns it; waits a few seconds at most. */
  void close() {
    if (!closeStarted.compareAndSet(false, true)) {
      return;
    }
    try {
      loop.submit(() -> closeInternal(new NatsException(NatsException.Reason.CLOSED, "client closed"))).awaitUninterruptibly(5, TimeUnit.SECONDS);
    } catch (RejectedExecutionException ignored) {
      // the event loop is already gone
    }
    if (ownsGroup) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }

  private static void cancel(@Nullable ScheduledFuture<?> task) {
    if (task != null) {
      task.cancel(false);
    }
  }

  private void wakeLiveWaiters() {
    for (Waker w : liveWaiters) {
      w.wake();
    }
  }

  boolean isConnected() {
    return live != null;
  }

  // ---------------------------------------------------------------- operations

  /**
   * The live connection, waiting (cancel-aware) at most the client's connected-wait while it
   * reconnects.
   */
  Live awaitLive(Cx cx) throws NatsException {
    Live l = live;
    if (l != null) {
      return l;
    }
    Instant deadline = cx.now().plus(settings.awaitConnected);
    Waker me = cx.waker();
    liveWaiters.add(me);
    try {
      while (true) {
        l = live;
        if (l != null) {
          return l;
        }
        if (status == Status.CLOSED) {
          throw closedError();
        }
        cx.checkpoint();
        if (!cx.now().isBefore(deadline)) {
          throw new NatsException(NatsException.Reason.NOT_CONNECTED, "no connection within " + settings.awaitConnected);
        }
        cx.park(deadline);
      }
    } finally {
      liveWaiters.remove(me);
    }
  }

  private NatsException closedError() {
    return new NatsException(NatsException.Reason.CLOSED, "client is closed", closedCause);
  }

  /**
   * Publishes; when {@code awaitWrite}, waits until the bytes left the event loop. The size is
   * checked (client limit, then the server's) before anything is written.
   */
  void publish(Cx cx, String subject, @Nullable String replyTo, NatsHeaders headers, byte[] data, boolean awaitWrite) throws NatsException {
    Encoder.checkToken(subject, "subject");
    if (replyTo != null) {
      Encoder.checkToken(replyTo, "reply subject");
    }
    byte[] header = Encoder.headerSection(headers);
    long size = (long) header.length + data.length;
    checkSize(size, settings.limits.maxPayload());
    Live l = awaitLive(cx);
    checkSize(size, l.maxPayload);
    cx.checkpoint(); // the commit point follows: a cancel observed here leaves nothing sent
    ChannelFuture written = l.channel.writeAndFlush(Encoder.publish(l.channel.alloc(), subject, replyTo, header, data));
    telemetry.published.increment();
    if (awaitWrite) {
      awaitWritten(cx, written);
    }
  }

  private static void checkSize(long size, int limit) throws NatsException {
    if (size > limit) {
      throw new NatsException(NatsException.Reason.PAYLOAD_TOO_LARGE, "message of " + size + " bytes, limit " + limit);
    }
  }

  /** Waits for a handed-over write; a cancel releases the caller and leaves the write running. */
  private static void awaitWritten(Cx cx, ChannelFuture written) throws NatsException {
    NettyFutures.await(cx, written);
    if (!written.isSuccess()) {
      throw new NatsException(NatsException.Reason.OUTCOME_UNKNOWN, "connection lost while writing", written.cause());
    }
  }

  /**
   * Sends a request and waits for its one reply. The reply inbox is registered before the request is
   * written and removed however the wait ends, cancellation included; a reply that comes later is
   * counted as late and dropped.
   */
  NatsMessage request(Cx cx, String operation, String subject, NatsHeaders headers, byte[] data, Duration timeout) throws NatsException {
    String token = Long.toString(tokens.incrementAndGet(), 36);
    Settable<NatsMessage> reply = new Settable<>();
    inbox.put(token, new InboxSink() {
      @Override
      public void deliver(NatsMessage message) {
        reply.set(message);
      }

      @Override
      public void fail(NatsException error) {
        reply.fail(error);
      }
    });
    telemetry.requests.increment();
    try {
      publish(cx, subject, inboxPrefix + token, headers, data, false);
      NatsMessage m = reply.await(cx, cx.now().plus(timeout));
      if (m == null) {
        telemetry.timeouts.increment();
        throw new NatsException(NatsException.Reason.TIMEOUT, operation + " got no reply within " + timeout);
      }
      if (m.isStatus() && m.headers().status() == 503) {
        telemetry.noResponders.increment();
        throw new NatsNoRespondersException(operation);
      }
      return m;
    } finally {
      inbox.remove(token);
    }
  }

  NatsSubscription subscribe(Cx cx, String subject, @Nullable String queue) throws NatsException {
    Encoder.checkToken(subject, "subject");
    if (queue != null) {
      Encoder.checkToken(queue, "queue group");
    }
    NatsSubscription sub = new NatsSubscription(this, sids.incrementAndGet(), subject, queue, settings.limits);
    register(cx, sub.sid(), subject, queue, new InboxSink() {
      @Override
      public void deliver(NatsMessage message) {
        sub.deliver(message);
      }

      @Override
      public void fail(NatsException error) {
        sub.closeQueue();
      }
    }, true);
    return sub;
  }

  /**
   * Opens a subscription that lives on the current connection only (a fetch's inbox: JetStream
   * delivers pulled messages under their own subjects, so only the sid routes them). Returns its sid.
   */
  long subscribeTransient(Cx cx, String subject, InboxSink sink) throws NatsException {
    long sid = sids.incrementAndGet();
    register(cx, sid, subject, null, sink, false);
    return sid;
  }

  /** A unique subject under this client's inbox prefix that the request inbox ({@code prefix.*}) does not match. */
  String uniqueInbox() {
    return inboxPrefix + "f." + Long.toString(tokens.incrementAndGet(), 36);
  }

  /** Registers {@code sid} and sends SUB (both on the event loop); a cancelled wait takes it back. */
  private void register(Cx cx, long sid, String subject, @Nullable String queue, InboxSink sink, boolean replay) throws NatsException {
    awaitLive(cx);
    cx.checkpoint();
    Future<Boolean> registered;
    try {
      registered = loop.submit(() -> {
        Live l = live;
        if (status == Status.CLOSED || (!replay && l == null)) {
          return false;
        }
        subs.put(sid, new Interest(sid, subject, queue, sink, replay));
        if (l != null) {
          l.channel.writeAndFlush(Encoder.subscribe(l.channel.alloc(), subject, queue, sid));
        }
        return true;
      });
    } catch (RejectedExecutionException e) {
      throw closedError();
    }
    try {
      NettyFutures.await(cx, registered);
    } catch (CancelledException e) {
      unsubscribe(sid); // registered or about to be: take it back
      throw e;
    }
    if (!Boolean.TRUE.equals(registered.getNow())) {
      if (status == Status.CLOSED) {
        throw closedError();
      }
      throw new NatsException(NatsException.Reason.NOT_CONNECTED, "connection lost before subscribing");
    }
  }

  void unsubscribe(long sid) {
    try {
      loop.execute(() -> {
        if (subs.remove(sid) != null) {
          Live l = live;
          if (l != null) {
            l.channel.writeAndFlush(Encoder.unsubscribe(l.channel.alloc(), sid));
          }
        }
      });
    } catch (RejectedExecutionException ignored) {
      // closed: there is no server-side interest left to remove
    }
  }

  /** PING, then wait for its PONG: everything written before was processed by the server. */
  void flush(Cx cx, Duration timeout) throws NatsException {
    Live l = awaitLive(cx);
    cx.checkpoint();
    Settable<Boolean> pong = new Settable<>();
    try {
      loop.execute(() -> {
        if (live != l) {
          pong.fail(new NatsException(NatsException.Reason.OUTCOME_UNKNOWN, "connection lost before the flush"));
          return;
        }
        pongs.add(pong);
        l.channel.writeAndFlush(Encoder.ping(l.channel.alloc()));
      });
    } catch (RejectedExecutionException e) {
      throw closedError();
    }
    if (pong.await(cx, cx.now().plus(timeout)) == null) {
      throw new NatsException(NatsException.Reason.TIMEOUT, "no PONG within " + timeout);
    }
  }

  /**
   * Publishes a short control payload (a JetStream ack) without waiting: for abort actions, which
   * may run on any thread and must not block. Returns false if there is no connection to send on.
   */
  boolean sendNoWait(String subject, byte[] data) {
    Live l = live;
    if (l == null) {
      return false;
    }
    l.channel.writeAndFlush(Encoder.publish(l.channel.alloc(), subject, null, Encoder.NO_HEADERS, data));
    telemetry.published.increment();
    return true;
  }

  // ---------------------------------------------------------------- inbound (event loop)

  void deliver(long sid, NatsMessage message) {
    telemetry.delivered.increment();
    Interest i = subs.get(sid);
    if (i == null) {
      // Unsubscribed while the message was on its way (a cancelled fetch's last deliveries).
      telemetry.lateReplies.increment();
      nakOrphan(message);
      return;
    }
    if (i.sink != null) {
      i.sink.deliver(message);
      return;
    }
    String subject = message.subject();
    InboxSink sink = subject.startsWith(inboxPrefix) ? inbox.get(subject.substring(inboxPrefix.length())) : null;
    if (sink != null) {
      sink.deliver(message);
      return;
    }
    telemetry.lateReplies.increment();
    nakOrphan(message);
  }

  /**
   * A JetStream delivery that nobody will process (its fetch was cancelled or ended): negative-ack
   * it so the server redelivers now instead of after the ack wait.
   */
  void nakOrphan(NatsMessage message) {
    String reply = message.replyTo();
    if (reply != null && reply.startsWith(JetStreamMessage.ACK_PREFIX) && sendNoWait(reply, JetStreamMessage.NAK)) {
      telemetry.naks.increment();
    }
  }

  // ---------------------------------------------------------------- stats and CONNECT

  NatsStats stats() {
    int userSubs = 0;
    int fetches = 0;
    for (Interest i : subs.values()) {
      if (i.sink != null && i.replay) {
        userSubs++;
      } else if (!i.replay) {
        fetches++;
      }
    }
    return telemetry.stats(userSubs, inbox.size() + fetches, live != null);
  }

  /** The CONNECT document; credentials go to the server only. */
  String connectJson() {
    var json = new io.asupersync.protocols.nats.internal.Json.Writer()
        .put("verbose", false)
        .put("pedantic", false)
        .put("tls_required", settings.tls != null)
        .put("name", settings.name)
        .put("lang", "java")
        .put("version", "0.1.0")
        .put("protocol", 1)
        .put("echo", true)
        .put("headers", true)
        .put("no_responders", true)
        .put("user", settings.user)
        .put("pass", settings.password)
        .put("auth_token", settings.token);
    return json.toJson();
  }
}
