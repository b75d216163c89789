package io.asupersync.protocols.redis;

import io.asupersync.CancelledException;
import io.asupersync.Cx;
import io.asupersync.Runtime;
import io.asupersync.Waker;
import io.asupersync.protocols.tls.ClientTls;
import io.asupersync.trace.TraceBuffer;
import io.asupersync.trace.TraceKind;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A Redis client on Netty with bounded RESP2/RESP3 decoding and cancel-correct calls.
 *
 * <p><b>Calls.</b> Every call takes a {@link Cx}; waiting for a connection and for the reply is bounded
 * by the caller's budget and ends with {@link CancelledException} when it is cancelled. The flush is
 * the commit point: cancelled before it, nothing was sent; cancelled after it, the caller is released
 * at once while the reply is still read and settled in the background, so the connection stays in
 * sync and goes back to the pool (or is discarded if the reply does not settle within the settle
 * timeout). A cancelled blocking command is woken with CLIENT UNBLOCK from a control connection. A
 * cancelled command whose reply took data (LPOP, RPOP, LMOVE, SPOP, ZPOPMIN and their blocking forms)
 * has that data given back when the reply arrives, so nothing is silently lost; for the pattern that
 * never loses an element even when the client itself dies, use {@link #reliablePop}.
 *
 * <p><b>Failures</b> are typed: {@link RedisServerException} (an error reply; the command ran or was
 * refused), {@link RedisConnectionException} (nothing was sent), {@link RedisOutcomeUnknownException}
 * (sent, reply never settled; its cause is a {@link RespProtocolException} when the reply broke the
 * protocol or a {@link RedisLimits} limit, which also closes the connection).
 *
 * <p><b>TLS.</b> With {@link Builder#tls(ClientTls)} every connection (pooled, subscriber and control)
 * is TLS from its first byte, as {@code rediss://} and Redis' {@code tls-port} expect; the server's
 * certificate must chain to the trusted CAs and name the host dialled (unless hostname verification is
 * turned off in the {@link ClientTls}); the handshake (AUTH included) is sent only once TLS is up, and a
 * failed TLS handshake fails the connection with {@link RedisConnectionException}.
 *
 * <p><b>Observability.</b> Every call is traced as one {@link TraceKind#CLIENT_CALL} event into the
 * runtime's trace (attributes {@code protocol}, {@code operation} = the command name, {@code result});
 * arguments and credentials are never traced. Counters per command and result: {@link #stats()}.
 */
public final class RedisClient implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(RedisClient.class.getName());
  private static final int MAX_COUNTED_NAMES = 512;

  private final TraceBuffer trace;
  final RedisLimits limits;
  final Duration settleTimeout;
  private final @Nullable Consumer<RespValue.PushReply> pushListener;
  private final EventLoopGroup group;
  private final boolean ownGroup;
  private final Connector connector;
  private final ConnectionPool pool;
  private final ScheduledFuture<?> maintenance;
  private final ConcurrentHashMap<String, AtomicLongArray> counters = new ConcurrentHashMap<>();
  private final AtomicLong pushes = new AtomicLong();
  private final AtomicLong deliveries = new AtomicLong();
  private final Set<Connection> unpooled = ConcurrentHashMap.newKeySet();
  private final Set<RedisSubscription> subscriptions = ConcurrentHashMap.newKeySet();
  private @Nullable CompletableFuture<Connection> control;
  private volatile boolean closed;

  private RedisClient(Builder b) {
    this.trace = b.runtime.trace();
    this.limits = b.limits;
    this.settleTimeout = b.settleTimeout;
    this.pushListener = b.pushListener;
    this.ownGroup = b.group == null;
    this.group = b.group != null ? b.group : new MultiThreadIoEventLoopGroup(b.ioThreads, NioIoHandler.newFactory());
    this.connector = new Connector(this, group, b.host, b.port, b.username, b.password, b.database, b.resp3,
        b.clientName, b.tls, b.connectTimeout, b.limits);
    this.pool = new ConnectionPool(this, b.minConnections, b.maxConnections, b.idleTimeout, b.maxLifetime,
        b.healthCheckOnAcquire, b.healthCheckInterval);
    long shortest = Math.min(b.idleTimeout.toNanos(), b.maxLifetime.toNanos());
    if (b.healthCheckInterval != null) {
      shortest = Math.min(shortest, b.healthCheckInterval.toNanos());
    }
    long period = Math.max(TimeUnit.MILLISECONDS.toNanos(20), Math.min(TimeUnit.SECONDS.toNanos(1), shortest / 4));
    this.maintenance = group.next().scheduleAtFixedRate(this::maintain, 0, period, TimeUnit.NANOSECONDS);
  }

  /** A builder for a client whose calls are traced into {@code runtime}'s trace. */
  public static Builder builder(Runtime runtime) {
    return new Builder(runtime);
  }

  // ---------------------------------------------------------------- generic calls

  /**
   * Runs one command on a pooled connection and returns its reply.
   *
   * @throws RedisServerException when the server answers with an error reply
   * @throws IllegalArgumentException for a command that changes the connection (SUBSCRIBE, SELECT,
   *     MULTI, WATCH, ...): use the dedicated API for it
   */
  public RespValue command(Cx cx, String name, Object... args) throws RedisException {
    return command(cx, RedisCommand.of(name, args));
  }

  /** {@link #command(Cx, String, Object...)} for a prepared command. */
  public RespValue command(Cx cx, RedisCommand command) throws RedisException {
    RedisCommands.checkPooled(command);
    return orThrow(command.name(), runPooled(cx, command.name(), List.of(command), false).get(0));
  }

  /**
   * Writes {@code commands} with one flush on one connection and returns their replies in order; an
   * error reply is a value in the list, not an exception. Cancellation applies to the whole pipeline.
   */
  public List<RespValue> pipeline(Cx cx, List<RedisCommand> commands) throws RedisException {
    if (commands.isEmpty()) {
      return List.of();
    }
    commands.forEach(RedisCommands::checkPooled);
    return List.copyOf(runPooled(cx, "PIPELINE", commands, false));
  }

  /**
   * Runs {@code commands} as one MULTI/EXEC transaction, written with one flush on a connection leased
   * for it alone, and returns EXEC's replies (error replies of individual commands as values).
   *
   * @throws RedisServerException if the transaction was refused as a whole (EXECABORT: a command
   *     could not be queued)
   */
  public List<RespValue> transaction(Cx cx, List<RedisCommand> commands) throws RedisException {
    commands.forEach(RedisCommands::checkPooled);
    List<RedisCommand> all = new ArrayList<>(commands.size() + 2);
    all.add(RedisCommand.of("MULTI"));
    all.addAll(commands);
    all.add(RedisCommand.of("EXEC"));
    List<RespValue> replies = runPooled(cx, "MULTI", all, true);
    RespValue exec = orThrow("EXEC", replies.get(replies.size() - 1));
    return exec.elements();
  }

  /**
   * Leases one connection for {@code body}, for command sequences that need the same connection:
   * WATCH / MULTI / EXEC with reads in between, CLIENT TRACKING. Afterwards an open transaction is
   * discarded and watches are dropped before the connection returns to the pool.
   */
  public <T> T dedicated(Cx cx, DedicatedBody<T> body) throws Exception {
    Connection c = pool.acquire(cx);
    RedisConnection conn = new RedisConnection(this, c);
    try {
      return body.run(conn);
    } finally {
      conn.close();
    }
  }

  /** The body of {@link #dedicated}. */
  @FunctionalInterface
  public interface DedicatedBody<T> {
    T run(RedisConnection connection) throws Exception;
  }

  /**
   * Opens a subscriber on a connection of its own (not from the pool); close it when done.
   */
  public RedisSubscription subscriber(Cx cx) throws RedisException {
    Connection c = awaitConnection(cx, connect());
    RedisSubscription sub = new RedisSubscription(this, c);
    c.subscription = sub;
    unpooled.add(c);
    subscriptions.add(sub);
    if (closed) {
      sub.close();
      throw new RedisConnectionException("client closed", null);
    }
    return sub;
  }

  // ---------------------------------------------------------------- conveniences

  /** GET as UTF-8 text; null when the key does not exist. */
  public @Nullable String get(Cx cx, String key) throws RedisException {
    return command(cx, "GET", key).asString();
  }

  /** GET as bytes; null when the key does not exist. */
  public byte @Nullable [] getBytes(Cx cx, String key) throws RedisException {
    return command(cx, "GET", key) instanceof RespValue.BulkString b ? b.bytes() : null;
  }

  /** SET key value (a String, byte[] or Number). */
  public void set(Cx cx, String key, Object value) throws RedisException {
    command(cx, "SET", key, value);
  }

  /** SET key value PX ttl. */
  public void set(Cx cx, String key, Object value, Duration ttl) throws RedisException {
    command(cx, "SET", key, value, "PX", Math.max(1, ttl.toMillis()));
  }

  /** DEL; returns how many keys existed. */
  public long del(Cx cx, String... keys) throws RedisException {
    return integer(command(cx, "DEL", (Object[]) keys));
  }

  /** INCR; returns the new value. */
  public long incr(Cx cx, String key) throws RedisException {
    return integer(command(cx, "INCR", key));
  }

  /** LPUSH; returns the list's new length. */
  public long lpush(Cx cx, String key, Object... values) throws RedisException {
    return integer(command(cx, "LPUSH", prepend(key, values)));
  }

  /** RPUSH; returns the list's new length. */
  public long rpush(Cx cx, String key, Object... values) throws RedisException {
    return integer(command(cx, "RPUSH", prepend(key, values)));
  }

  /** RPOP as UTF-8 text; null when the list is empty. A pop cancelled after the flush is pushed back. */
  public @Nullable String rpop(Cx cx, String key) throws RedisException {
    return command(cx, "RPOP", key).asString();
  }

  /** LLEN. */
  public long llen(Cx cx, String key) throws RedisException {
    return integer(command(cx, "LLEN", key));
  }

  /**
   * BLMOVE source destination from to timeout: waits up to {@code timeout} (and the caller's budget)
   * for an element; null if none came. Cancelled after the flush, the client wakes the server-side
   * wait (CLIENT UNBLOCK) and moves an element that was moved anyway back where it came from.
   */
  public byte @Nullable [] blmove(Cx cx, String source, String destination, ListSide from, ListSide to, Duration timeout)
      throws RedisException {
    RespValue v = command(cx, "BLMOVE", source, destination, from.name(), to.name(), seconds(timeout));
    return v instanceof RespValue.BulkString b ? b.bytes() : null;
  }

  /**
   * Reliable pop: BLMOVE source processing RIGHT LEFT (so a list filled with LPUSH is consumed in
   * order), with the element held as a {@link ListLease} until the caller commits (LREM from
   * processing) or aborts (moved back to the source's tail). Waits up to {@code timeout}; null if
   * nothing came. The element is never lost: not by a cancel before the flush (nothing was moved),
   * not by a cancel after it (the wait is unblocked and a moved element moved back), not by a task
   * that dies holding the lease (it stays in the processing list; the leak response's abort or
   * {@link #requeue} gives it back).
   */
  public @Nullable ListLease reliablePop(Cx cx, String source, String processing, Duration timeout) throws RedisException {
    byte[] v = blmove(cx, source, processing, ListSide.RIGHT, ListSide.LEFT, timeout);
    return v == null ? null : new ListLease(this, cx, source, processing, v);
  }

  /**
   * Moves every element left in {@code processing} back to the tail of {@code source}, oldest nearest
   * the tail (so it is popped first); for recovery at start-up. Returns how many were moved.
   */
  public int requeue(Cx cx, String processing, String source) throws RedisException {
    int moved = 0;
    while (!(command(cx, "LMOVE", processing, source, "LEFT", "RIGHT") instanceof RespValue.NullReply)) {
      moved++;
    }
    return moved;
  }

  /** XADD stream * field value ...; returns the new entry id. */
  public String xadd(Cx cx, String stream, Map<String, ?> fields) throws RedisException {
    List<Object> args = new ArrayList<>(2 + 2 * fields.size());
    args.add(stream);
    args.add("*");
    fields.forEach((k, v) -> {
      args.add(k);
      args.add(v);
    });
    return Objects.requireNonNull(command(cx, "XADD", args.toArray()).asString());
  }

  /**
   * XGROUP CREATE stream group startId MKSTREAM; returns false if the group already existed.
   */
  public boolean xgroupCreate(Cx cx, String stream, String group, String startId) throws RedisException {
    try {
      command(cx, "XGROUP", "CREATE", stream, group, startId, "MKSTREAM");
      return true;
    } catch (RedisServerException e) {
      if (e.code().equals("BUSYGROUP")) {
        return false;
      }
      throw e;
    }
  }

  /**
   * XREADGROUP GROUP group consumer COUNT count BLOCK block STREAMS stream &gt;: new entries for this
   * consumer, each held as an Ack obligation of the calling task ({@link StreamDelivery}); empty when
   * none came within {@code block}. Entries delivered by a read that was cancelled after the flush stay
   * pending in the group and are reclaimed with {@link #xautoclaim}.
   */
  public List<StreamDelivery> xreadgroup(Cx cx, String group, String consumer, String stream, int count, Duration block)
      throws RedisException {
    RespValue reply = command(cx, "XREADGROUP", "GROUP", group, consumer, "COUNT", count,
        "BLOCK", Math.max(1, block.toMillis()), "STREAMS", stream, ">");
    List<RespValue> entries = switch (reply) {
      case RespValue.MapReply m -> m.entries().values().stream().findFirst().map(RespValue::elements).orElse(List.of());
      case RespValue.ArrayReply a when !a.items().isEmpty() && a.items().get(0).elements().size() == 2 ->
          a.items().get(0).elements().get(1).elements();
      default -> List.of();
    };
    return deliveries(cx, stream, group, entries);
  }

  /**
   * XAUTOCLAIM stream group consumer minIdle 0-0 COUNT count: takes over entries that were delivered
   * to any consumer of the group and not acknowledged for at least {@code minIdle} (aborted
   * deliveries, crashed consumers, cancelled reads), each held as a new Ack obligation.
   */
  public List<StreamDelivery> xautoclaim(Cx cx, String stream, String group, String consumer, Duration minIdle, int count)
      throws RedisException {
    RespValue reply = command(cx, "XAUTOCLAIM", stream, group, consumer, minIdle.toMillis(), "0-0", "COUNT", count);
    List<RespValue> parts = reply.elements();
    return parts.size() < 2 ? List.of() : deliveries(cx, stream, group, parts.get(1).elements());
  }

  private List<StreamDelivery> deliveries(Cx cx, String stream, String group, List<RespValue> entries) {
    List<StreamDelivery> out = new ArrayList<>(entries.size());
    for (RespValue entry : entries) {
      List<RespValue> idAndFields = entry.elements();
      String id = idAndFields.isEmpty() ? null : idAndFields.get(0).asString();
      if (id == null) {
        continue;
      }
      Map<String, byte[]> fields = new LinkedHashMap<>();
      List<RespValue> kv = idAndFields.size() > 1 ? flatten(idAndFields.get(1)) : List.of();
      for (int i = 0; i + 1 < kv.size(); i += 2) {
        String k = kv.get(i).asString();
        if (k != null && kv.get(i + 1) instanceof RespValue.BulkString v) {
          fields.put(k, v.bytes());
        }
      }
      out.add(new StreamDelivery(this, cx, stream, group, id, fields));
    }
    return out;
  }

  private static List<RespValue> flatten(RespValue v) {
    if (v instanceof RespValue.MapReply m) {
      List<RespValue> kv = new ArrayList<>();
      m.entries().forEach((k, val) -> {
        kv.add(k);
        kv.add(val);
      });
      return kv;
    }
    return v.elements();
  }

  /** Counters per command and result, and the pool's state. */
  public RedisStats stats() {
    Map<String, Map<CallResult, Long>> calls = new LinkedHashMap<>();
    counters.forEach((name, counts) -> {
      EnumMap<CallResult, Long> m = new EnumMap<>(CallResult.class);
      for (CallResult r : CallResult.values()) {
        long n = counts.get(r.ordinal());
        if (n > 0) {
          m.put(r, n);
        }
      }
      calls.put(name, m);
    });
    return new RedisStats(calls, pool.stats(), pushes.get(), deliveries.get());
  }

  /** Closes every connection (pending calls fail as outcome unknown) and the client's event loop. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    maintenance.cancel(false);
    pool.close();
    for (RedisSubscription s : List.copyOf(subscriptions)) {
      s.close();
    }
    for (Connection c : List.copyOf(unpooled)) {
      c.discard("client closed", null);
    }
    if (ownGroup) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
  }

  // ---------------------------------------------------------------- engine

  ConnectionPool pool() {
    return pool;
  }

  private void maintain() {
    try {
      pool.maintain();
    } catch (RuntimeException e) {
      // A failed pass must not cancel the schedule: the next one tries again.
      LOG.log(System.Logger.Level.WARNING, "redis: pool maintenance failed", e);
    }
  }

  Call call(Cx cx, String name, List<RedisCommand> commands, boolean transaction) {
    Call call = new Call(name, commands, cx.taskId(), cx.regionId());
    call.settler = (conn, replies) -> settle(conn, commands, replies, transaction);
    return call;
  }

  private List<RespValue> runPooled(Cx cx, String name, List<RedisCommand> commands, boolean transaction)
      throws RedisException {
    Connection c;
    try {
      cx.checkpoint();
      c = pool.acquire(cx);
    } catch (CancelledException e) {
      recordCall(name, cx.taskId(), cx.regionId(), CallResult.CANCELLED_BEFORE_SEND);
      throw e;
    } catch (RedisException e) {
      recordCall(name, cx.taskId(), cx.regionId(), CallResult.NOT_SENT);
      throw e;
    }
    Call call = call(cx, name, commands, transaction);
    c.submit(call);
    // The lease ends now; the connection returns to the pool once this call has settled.
    pool.release(c);
    return call.await(cx, () -> c.abandoned(call));
  }

  /** Runs {@code call} on {@code c} (leased or dedicated) and waits for its replies. */
  List<RespValue> run(Cx cx, Connection c, Call call) throws RedisException {
    c.submit(call);
    return call.await(cx, () -> c.abandoned(call));
  }

  /** One command on a connection the caller already holds (health checks). */
  RespValue execute(Cx cx, Connection c, RedisCommand command) throws RedisException {
    return run(cx, c, call(cx, command.name(), List.of(command), false)).get(0);
  }

  /** Gives back what the replies of an abandoned call took (see {@link RedisCommands#undo}). */
  private void settle(Connection conn, List<RedisCommand> commands, List<RespValue> replies, boolean transaction) {
    List<RedisCommand> cmds = commands;
    List<RespValue> reps = replies;
    if (transaction) {
      cmds = commands.subList(1, commands.size() - 1);
      reps = replies.get(replies.size() - 1).elements();
    }
    for (int i = 0; i < Math.min(cmds.size(), reps.size()); i++) {
      RedisCommand undo = RedisCommands.undo(cmds.get(i), reps.get(i));
      if (undo != null) {
        conn.submitFromLoop(new Call("UNDO", List.of(undo), 0, 0));
      }
    }
  }

  static RespValue orThrow(String name, RespValue reply) throws RedisServerException {
    if (reply instanceof RespValue.ErrorReply error) {
      throw new RedisServerException(name, error);
    }
    return reply;
  }

  private static long integer(RespValue v) throws RedisException {
    if (v instanceof RespValue.IntegerReply n) {
      return n.value();
    }
    throw new RedisServerException("integer reply expected", new RespValue.ErrorReply("ERR unexpected reply " + v.getClass().getSimpleName()));
  }

  private static Object[] prepend(Object first, Object[] rest) {
    Object[] all = new Object[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  private static String seconds(Duration timeout) {
    return java.math.BigDecimal.valueOf(timeout.toMillis(), 3).toPlainString();
  }

  /** Opens and hands back a connection that completed its handshake; not yet in any pool. */
  CompletableFuture<Connection> connect() {
    return connector.connect();
  }

  boolean isClosed() {
    return closed;
  }

  /** Waits for an unpooled connection; one that comes up after the caller was cancelled is closed. */
  private Connection awaitConnection(Cx cx, CompletableFuture<Connection> connecting) throws RedisException {
    Waker waker = cx.waker();
    connecting.whenComplete((c, e) -> waker.wake());
    try {
      while (!connecting.isDone()) {
        cx.checkpoint();
        if (!connecting.isDone()) {
          cx.park(null);
        }
      }
    } catch (CancelledException e) {
      connecting.thenAccept(c -> c.discard("caller cancelled", null));
      throw e;
    }
    if (connecting.isCompletedExceptionally()) {
      throw Connector.connectFailure(connecting);
    }
    return connecting.join();
  }

  /**
   * Wakes the server-side wait of an abandoned blocking call (CLIENT UNBLOCK from the control
   * connection), retrying while the call has not settled: the UNBLOCK may overtake the command
   * itself, which then blocks only after it.
   */
  void unblock(Connection target, Call call) {
    long id = target.serverId;
    if (id == 0 || closed) {
      return;
    }
    Call unblock = new Call("CLIENT", List.of(RedisCommand.of("CLIENT", "UNBLOCK", id)), 0, 0);
    unblock.listener = done -> {
      boolean woke = done.state() == Call.DONE && done.replies().get(0) instanceof RespValue.IntegerReply n && n.value() == 1;
      if (!woke && !call.ended && !closed) {
        try {
          target.channel().eventLoop().schedule(() -> {
            if (!call.ended) {
              unblock(target, call);
            }
          }, 20, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
          // closing
        }
      }
    };
    runDetached(unblock);
  }

  /** Runs {@code command} on the control connection, without a caller (give-backs of aborted leases). */
  void runDetached(RedisCommand command) {
    runDetached(new Call(command.name(), List.of(command), 0, 0));
  }

  private void runDetached(Call call) {
    control().whenComplete((c, e) -> {
      if (c != null && !c.isBroken()) {
        c.submit(call);
      } else {
        LOG.log(System.Logger.Level.WARNING, "redis: control connection unavailable; " + call.name + " not sent");
        recordCall(call, CallResult.NOT_SENT);
      }
    });
  }

  private synchronized CompletableFuture<Connection> control() {
    CompletableFuture<Connection> current = control;
    if (current == null || current.isCompletedExceptionally() || (current.isDone() && current.join().isBroken())) {
      current = connect();
      current.thenAccept(unpooled::add);
      control = current;
    }
    return current;
  }

  void connectionQuiet(Connection c) {
    pool.connectionQuiet(c);
  }

  void connectionDiscarded(Connection c) {
    unpooled.remove(c);
    pool.discarded(c);
  }

  void subscriptionClosed(RedisSubscription s) {
    subscriptions.remove(s);
  }

  void push(RespValue.PushReply push) {
    pushes.incrementAndGet();
    Consumer<RespValue.PushReply> listener = pushListener;
    if (listener != null) {
      try {
        listener.accept(push);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "redis: push listener failed", e);
      }
    }
  }

  void recordDelivery() {
    deliveries.incrementAndGet();
  }

  void recordCall(Call call, CallResult result) {
    recordCall(call.name, call.taskId, call.regionId, result);
  }

  private void recordCall(String name, long taskId, long regionId, CallResult result) {
    String key = counters.size() >= MAX_COUNTED_NAMES && !counters.containsKey(name) ? "OTHER" : name;
    counters.computeIfAbsent(key, k -> new AtomicLongArray(CallResult.values().length)).incrementAndGet(result.ordinal());
    trace.record(TraceKind.CLIENT_CALL, taskId, regionId, 0,
        Map.of("protocol", "redis", "operation", name, "result", result.label()));
  }

  void traceProtocolError(Connection c, RespProtocolException e) {
    RespProtocolException.Reason r = e.reason();
    String reason = r.name().toLowerCase(java.util.Locale.ROOT);
    if (r.isLimit()) {
      trace.record(TraceKind.LIMIT_EXCEEDED, 0, 0, 0,
          Map.of("protocol", "redis", "reason", reason, "connection", Long.toString(c.id), "limit", limitName(r)));
    } else {
      trace.record(TraceKind.PROTOCOL_ERROR, 0, 0, 0,
          Map.of("protocol", "redis", "reason", reason, "connection", Long.toString(c.id)));
    }
  }

  private static String limitName(RespProtocolException.Reason r) {
    return switch (r) {
      case BULK_TOO_LARGE -> "maxBulkBytes";
      case TOO_MANY_ELEMENTS -> "maxAggregateElements";
      case NESTING_TOO_DEEP -> "maxNestingDepth";
      case LINE_TOO_LONG -> "maxLineBytes";
      default -> "maxReplyBytes";
    };
  }

  void logSettleFailure(Call call, RuntimeException e) {
    LOG.log(System.Logger.Level.WARNING, "redis: settling a cancelled " + call.name + " failed", e);
  }

  /** The largest cumulation buffer any connection's decoder held, in bytes. */
  long peakBufferedBytes() {
    return connector.peakBuffered.get();
  }

  /** The most bytes any one connection's decoder allocated for values. */
  long peakAllocatedBytes() {
    return connector.peakAllocated.get();
  }

  /**
   * Configures a {@link RedisClient}. Defaults: 127.0.0.1:6379, no authentication, database 0,
   * RESP2, {@link RedisLimits#defaults()}, pool 0..8 connections, idle timeout 5 min, lifetime 30 min,
   * periodic health check every 30 s, none on acquire, connect timeout 10 s, settle timeout 5 s, one
   * I/O thread.
   */
  public static final class Builder {
    private final Runtime runtime;
    private String host = "127.0.0.1";
    private int port = 6379;
    private @Nullable String username;
    private byte @Nullable [] password;
    private int database;
    private boolean resp3;
    private @Nullable String clientName;
    private RedisLimits limits = RedisLimits.defaults();
    private int minConnections;
    private int maxConnections = 8;
    private Duration idleTimeout = Duration.ofMinutes(5);
    private Duration maxLifetime = Duration.ofMinutes(30);
    private boolean healthCheckOnAcquire;
    private @Nullable Duration healthCheckInterval = Duration.ofSeconds(30);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private @Nullable ClientTls tls;
    private Duration settleTimeout = Duration.ofSeconds(5);
    private @Nullable Consumer<RespValue.PushReply> pushListener;
    private int ioThreads = 1;
    private @Nullable EventLoopGroup group;

    private Builder(Runtime runtime) {
      this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    public Builder host(String value) {
      this.host = Objects.requireNonNull(value, "host");
      return this;
    }

    public Builder port(int value) {
      if (value < 1 || value > 65535) {
        throw new IllegalArgumentException("port out of range: " + value);
      }
      this.port = value;
      return this;
    }

    /** ACL credentials, sent with AUTH (or HELLO 3 AUTH) on every new connection; never traced or logged. */
    public Builder credentials(String username, String password) {
      this.username = Objects.requireNonNull(username, "username");
      this.password = Objects.requireNonNull(password, "password").getBytes(StandardCharsets.UTF_8);
      return this;
    }

    /** The legacy {@code requirepass} password (AUTH password); never traced or logged. */
    public Builder password(String password) {
      this.username = null;
      this.password = Objects.requireNonNull(password, "password").getBytes(StandardCharsets.UTF_8);
      return this;
    }

    /** Database selected (SELECT) on every new connection. */
    public Builder database(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("database must not be negative");
      }
      this.database = value;
      return this;
    }

    /** Whether to speak RESP3 (HELLO 3): typed maps, sets, doubles, and push frames out of band. */
    public Builder resp3(boolean value) {
      this.resp3 = value;
      return this;
    }

    /** Name shown by CLIENT LIST. */
    public Builder clientName(String value) {
      this.clientName = Objects.requireNonNull(value, "clientName");
      return this;
    }

    public Builder limits(RedisLimits value) {
      this.limits = Objects.requireNonNull(value, "limits");
      return this;
    }

    /** Connections kept open (opened in the background) and at most open at once. */
    public Builder pool(int min, int max) {
      if (min < 0 || max < 1 || min > max) {
        throw new IllegalArgumentException("need 0 <= min <= max and max >= 1, was " + min + ".." + max);
      }
      this.minConnections = min;
      this.maxConnections = max;
      return this;
    }

    /** An idle connection beyond the minimum is closed after this. */
    public Builder idleTimeout(Duration value) {
      this.idleTimeout = positive(value, "idleTimeout");
      return this;
    }

    /** Every connection is closed (once idle) after this. */
    public Builder maxLifetime(Duration value) {
      this.maxLifetime = positive(value, "maxLifetime");
      return this;
    }

    /** Whether to PING a connection before each lease (an unhealthy one is replaced). */
    public Builder healthCheckOnAcquire(boolean value) {
      this.healthCheckOnAcquire = value;
      return this;
    }

    /** How often idle connections are PINGed; null for never. */
    public Builder healthCheckInterval(@Nullable Duration value) {
      this.healthCheckInterval = value == null ? null : positive(value, "healthCheckInterval");
      return this;
    }

    /**
     * Connects with TLS ({@code rediss://}): the server's certificate is checked by {@code value},
     * hostname verification included unless it was turned off there.
     */
    public Builder tls(ClientTls value) {
      this.tls = Objects.requireNonNull(value, "tls");
      return this;
    }

    /** TCP connect and handshake (TLS included) each bounded by this. */
    public Builder connectTimeout(Duration value) {
      this.connectTimeout = positive(value, "connectTimeout");
      return this;
    }

    /**
     * How long the reply of a call whose caller was cancelled after the flush may take to arrive;
     * after that the connection is discarded (its state is unknown).
     */
    public Builder settleTimeout(Duration value) {
      this.settleTimeout = positive(value, "settleTimeout");
      return this;
    }

    /**
     * Receives RESP3 push frames that arrive on request/reply connections (CLIENT TRACKING
     * invalidations, ...), on the I/O thread: keep it short and non-blocking.
     */
    public Builder onPush(Consumer<RespValue.PushReply> listener) {
      this.pushListener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** I/O threads of the client's own event loop group. */
    public Builder ioThreads(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("ioThreads must be at least 1");
      }
      this.ioThreads = value;
      return this;
    }

    /** Runs on {@code value} instead of an event loop group of the client's own (not shut down by close). */
    public Builder eventLoopGroup(EventLoopGroup value) {
      this.group = Objects.requireNonNull(value, "group");
      return this;
    }

    public RedisClient build() {
      return new RedisClient(this);
    }

    private static Duration positive(Duration value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
      return value;
    }
  }
}
