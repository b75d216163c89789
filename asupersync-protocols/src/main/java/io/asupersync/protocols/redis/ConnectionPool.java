package io.asupersync.protocols.redis;

import io.asupersync.CancelledException;
import io.asupersync.Cx;
import io.asupersync.Waker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Request/reply connections: at most {@code max} open (connecting ones included), at least {@code
 * min} kept open by the maintenance pass, idle ones closed after the idle timeout (down to {@code
 * min}), every one closed after its maximum lifetime, idle ones pinged every health-check interval
 * (and optionally on acquire), broken ones dropped.
 *
 * <p>A lease is exclusive while held. A connection comes back only when its lease is released and
 * every call flushed on it has settled ({@link Connection#inFlight} zero), so a cancelled caller's
 * reply can never be read by the next borrower.
 */
final class ConnectionPool {

  private final RedisClient client;
  private final int min;
  private final int max;
  private final long idleTimeoutNanos;
  private final long maxLifetimeNanos;
  private final boolean checkOnAcquire;
  private final long checkIntervalNanos;

  private final ReentrantLock lock = new ReentrantLock();
  // Guarded by lock.
  private final ArrayDeque<Connection> idle = new ArrayDeque<>();
  private final LinkedHashSet<Waker> waiters = new LinkedHashSet<>();
  private int open;
  private int leased;
  private boolean closed;
  private long created;
  private long discarded;

  ConnectionPool(RedisClient client, int min, int max, Duration idleTimeout, Duration maxLifetime,
      boolean checkOnAcquire, @Nullable Duration checkInterval) {
    this.client = client;
    this.min = min;
    this.max = max;
    this.idleTimeoutNanos = idleTimeout.toNanos();
    this.maxLifetimeNanos = maxLifetime.toNanos();
    this.checkOnAcquire = checkOnAcquire;
    this.checkIntervalNanos = checkInterval == null ? 0 : checkInterval.toNanos();
  }

  /**
   * Leases a connection, waiting for a free one or connecting a new one; the wait is bounded by the
   * caller's budget and ends with {@link CancelledException} when it runs out.
   */
  Connection acquire(Cx cx) throws RedisException {
    Waker waker = cx.waker();
    while (true) {
      cx.checkpoint();
      Connection found = null;
      boolean connect = false;
      List<Connection> stale = new ArrayList<>();
      lock.lock();
      try {
        if (closed) {
          throw new RedisConnectionException("client closed", null);
        }
        long now = System.nanoTime();
        while ((found = idle.pollFirst()) != null) {
          found.idle = false;
          if (found.isBroken() || now - found.createdNanos >= maxLifetimeNanos) {
            removeLocked(found);
            stale.add(found);
            continue;
          }
          found.leased = true;
          leased++;
          break;
        }
        if (found == null && open < max) {
          open++;
          connect = true;
        }
        if (found == null && !connect) {
          waiters.add(waker);
        }
      } finally {
        lock.unlock();
      }
      stale.forEach(c -> c.discard("expired", null));
      if (found != null) {
        if (checkOnAcquire && !healthy(cx, found)) {
          continue;
        }
        return found;
      }
      if (connect) {
        return connectLeased(cx);
      }
      try {
        cx.park(null);
      } finally {
        lock.lock();
        try {
          waiters.remove(waker);
        } finally {
          lock.unlock();
        }
      }
    }
  }

  /** PINGs a just-leased connection; an unhealthy one is discarded. */
  private boolean healthy(Cx cx, Connection c) throws RedisException {
    try {
      RespValue pong = client.execute(cx, c, RedisCommand.of("PING"));
      if (!(pong instanceof RespValue.ErrorReply)) {
        return true;
      }
    } catch (RedisOutcomeUnknownException | RedisConnectionException e) {
      // unhealthy: fall through
    } catch (RuntimeException | RedisException e) {
      release(c);
      throw e;
    }
    c.discard("failed its health check", null);
    release(c);
    return false;
  }

  private Connection connectLeased(Cx cx) throws RedisException {
    CompletableFuture<Connection> connecting = client.connect();
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
      // Nobody will take it: a connection that still comes up joins the idle set.
      connecting.whenComplete(this::connectedUnleased);
      throw e;
    }
    if (connecting.isCompletedExceptionally()) {
      connectFailed();
      throw Connector.connectFailure(connecting);
    }
    Connection c = connecting.join();
    lock.lock();
    try {
      created++;
      c.pooled = true;
      c.leased = true;
      leased++;
      if (closed) {
        c.leased = false;
        leased--;
        removeLocked(c);
        c.discard("client closed", null);
        throw new RedisConnectionException("client closed", null);
      }
    } finally {
      lock.unlock();
    }
    return c;
  }

  private void connectedUnleased(@Nullable Connection c, @Nullable Throwable error) {
    if (c == null) {
      connectFailed();
      return;
    }
    lock.lock();
    try {
      created++;
      c.pooled = true;
      offerLocked(c);
    } finally {
      lock.unlock();
    }
  }

  private void connectFailed() {
    lock.lock();
    try {
      open--;
      wakeLocked();
    } finally {
      lock.unlock();
    }
  }

  /** Ends a lease; the connection goes back once nothing is in flight on it. */
  void release(Connection c) {
    lock.lock();
    try {
      if (c.leased) {
        c.leased = false;
        leased--;
      }
      offerLocked(c);
    } finally {
      lock.unlock();
    }
  }

  /** The last in-flight call on {@code c} ended. */
  void connectionQuiet(Connection c) {
    lock.lock();
    try {
      offerLocked(c);
    } finally {
      lock.unlock();
    }
  }

  private void offerLocked(Connection c) {
    if (!c.pooled || c.leased || c.idle || c.removed || c.inFlight.get() != 0) {
      return;
    }
    if (c.isBroken() || closed) {
      removeLocked(c);
      c.discard(closed ? "client closed" : "broken", null);
      return;
    }
    c.idle = true;
    c.idleSinceNanos = System.nanoTime();
    idle.addFirst(c);
    wakeLocked();
  }

  /** {@code c} is broken: it no longer counts against the maximum. Idempotent. */
  void discarded(Connection c) {
    lock.lock();
    try {
      removeLocked(c);
    } finally {
      lock.unlock();
    }
  }

  private void removeLocked(Connection c) {
    if (c.removed || !c.pooled) {
      return;
    }
    c.removed = true;
    if (c.idle) {
      c.idle = false;
      idle.remove(c);
    }
    open--;
    discarded++;
    wakeLocked();
  }

  private void wakeLocked() {
    for (Waker w : waiters) {
      w.wake();
    }
  }

  /**
   * One maintenance pass (event loop): closes what expired or idled out, pings what is due, and opens
   * connections up to the minimum.
   */
  void maintain() {
    List<Connection> expired = new ArrayList<>();
    List<Connection> check = new ArrayList<>();
    int toOpen;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      long now = System.nanoTime();
      for (Connection c : new ArrayList<>(idle)) {
        boolean tooOld = now - c.createdNanos >= maxLifetimeNanos;
        boolean idleTooLong = now - c.idleSinceNanos >= idleTimeoutNanos && open - expired.size() > min;
        if (c.isBroken() || tooOld || idleTooLong) {
          removeLocked(c);
          expired.add(c);
        } else if (checkIntervalNanos > 0 && now - c.checkedNanos >= checkIntervalNanos) {
          idle.remove(c);
          c.idle = false;
          c.leased = true; // by the pool itself, for the ping
          check.add(c);
        }
      }
      toOpen = Math.max(0, min - open);
      open += toOpen;
    } finally {
      lock.unlock();
    }
    expired.forEach(c -> c.discard("idle timeout or lifetime reached", null));
    for (Connection c : check) {
      Call ping = new Call("PING", List.of(RedisCommand.of("PING")), 0, 0);
      ping.listener = done -> {
        if (done.state() == Call.DONE && !(done.replies().get(0) instanceof RespValue.ErrorReply)) {
          c.checkedNanos = System.nanoTime();
        } else {
          c.discard("failed its health check", null);
        }
        lock.lock();
        try {
          c.leased = false;
        } finally {
          lock.unlock();
        }
      };
      c.submit(ping);
    }
    for (int i = 0; i < toOpen; i++) {
      client.connect().whenComplete(this::connectedUnleased);
    }
  }

  /** Closes idle connections now and every other one as it comes back. */
  void close() {
    List<Connection> toClose;
    lock.lock();
    try {
      closed = true;
      toClose = new ArrayList<>(idle);
      for (Connection c : toClose) {
        removeLocked(c);
      }
      wakeLocked();
    } finally {
      lock.unlock();
    }
    toClose.forEach(c -> c.discard("client closed", null));
  }

  RedisStats.PoolStats stats() {
    lock.lock();
    try {
      return new RedisStats.PoolStats(open, idle.size(), leased, waiters.size(), created, discarded);
    } finally {
      lock.unlock();
    }
  }
}
