package io.asupersync.protocols.http.client;

import io.asupersync.Cx;
import io.asupersync.Waker;
import io.asupersync.protocols.ApplicationProtocol;
import io.asupersync.protocols.http.client.HttpClientException.Reason;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Connections per origin. HTTP/1.1 connections carry one exchange at a time, so an origin gets up to
 * {@code maxConnectionsPerOrigin} of them; an HTTP/2 connection multiplexes, so while one is being opened
 * (or a TLS origin's protocol is not known yet) other callers wait for it instead of opening their own.
 * A connection idle for {@code idleTimeout} is closed.
 */
final class Pool {

  /** How connections report back. Called from event loops. */
  interface Listener {
    void released(Connection connection);

    void closed(Connection connection);
  }

  private final Connector connector;
  private final EventLoopGroup group;
  private final int maxConnectionsPerOrigin;
  private final long idleTimeoutNanos;
  private final Map<Origin, OriginPool> origins = new ConcurrentHashMap<>();
  private volatile boolean closed;

  Pool(Connector connector, EventLoopGroup group, int maxConnectionsPerOrigin, Duration idleTimeout) {
    this.connector = connector;
    this.group = group;
    this.maxConnectionsPerOrigin = maxConnectionsPerOrigin;
    this.idleTimeoutNanos = idleTimeout.toNanos();
  }

  /** A connection to {@code origin} with room reserved for one exchange. */
  Connection acquire(Cx cx, Origin origin) throws HttpClientException {
    if (closed) {
      throw new HttpClientException(Reason.CLIENT_CLOSED, "client is closed");
    }
    return origins.computeIfAbsent(origin, OriginPool::new).acquire(cx);
  }

  /** Open connections to {@code origin}. */
  int connections(Origin origin) {
    OriginPool pool = origins.get(origin);
    return pool == null ? 0 : pool.size();
  }

  void close() {
    closed = true;
    for (OriginPool pool : origins.values()) {
      pool.close();
    }
  }

  private final class OriginPool implements Listener {
    private final Origin origin;
    private final ReentrantLock lock = new ReentrantLock();
    // All guarded by lock.
    private final List<Connection> connections = new ArrayList<>();
    private final Map<Connection, Long> idleStamps = new HashMap<>();
    private final Set<Waker> waiters = new LinkedHashSet<>();
    private @Nullable ApplicationProtocol known;
    private int connecting;
    private long stamp;
    private boolean shut;

    OriginPool(Origin origin) {
      this.origin = origin;
      this.known = connector.knownProtocol(origin);
    }

    Connection acquire(Cx cx) throws HttpClientException {
      while (true) {
        cx.checkpoint();
        Connector.Pending pending = null;
        Waker waker = cx.waker();
        lock.lock();
        try {
          if (shut) {
            throw new HttpClientException(Reason.CLIENT_CLOSED, "client is closed");
          }
          for (Connection c : connections) {
            if (c.tryReserve()) {
              idleStamps.remove(c);
              return c;
            }
          }
          boolean multiplexes = known != ApplicationProtocol.HTTP_1_1;
          if (connections.size() + connecting < maxConnectionsPerOrigin && !(multiplexes && connecting > 0)) {
            connecting++;
            pending = connector.connect(origin, this);
          } else {
            waiters.add(waker);
          }
        } finally {
          lock.unlock();
        }
        if (pending == null) {
          try {
            cx.park(null);
          } finally {
            removeWaiter(waker);
          }
          continue;
        }
        Connection fresh = null;
        try {
          fresh = pending.await(cx);
        } finally {
          lock.lock();
          try {
            connecting--;
            if (fresh != null) {
              connections.add(fresh);
              known = fresh.protocol();
            }
          } finally {
            lock.unlock();
          }
          wakeAll();
        }
        if (fresh.tryReserve()) {
          return fresh;
        }
      }
    }

    private void removeWaiter(Waker waker) {
      lock.lock();
      try {
        waiters.remove(waker);
      } finally {
        lock.unlock();
      }
    }

    private void wakeAll() {
      List<Waker> toWake;
      lock.lock();
      try {
        toWake = List.copyOf(waiters);
      } finally {
        lock.unlock();
      }
      toWake.forEach(Waker::wake);
    }

    @Override
    public void released(Connection connection) {
      long mine;
      lock.lock();
      try {
        if (!connections.contains(connection)) {
          return;
        }
        mine = ++stamp;
        idleStamps.put(connection, mine);
      } finally {
        lock.unlock();
      }
      wakeAll();
      if (connection.isIdle()) {
        group.schedule(() -> retireIfStillIdle(connection, mine), idleTimeoutNanos, TimeUnit.NANOSECONDS);
      }
    }

    /** Closes the connection unless it was used since the release that scheduled this check. */
    private void retireIfStillIdle(Connection connection, long releaseStamp) {
      lock.lock();
      try {
        Long current = idleStamps.get(connection);
        if (current == null || current != releaseStamp || !connection.retireIfIdle()) {
          return;
        }
        idleStamps.remove(connection);
        connections.remove(connection);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void closed(Connection connection) {
      lock.lock();
      try {
        connections.remove(connection);
        idleStamps.remove(connection);
      } finally {
        lock.unlock();
      }
      wakeAll();
    }

    int size() {
      lock.lock();
      try {
        return connections.size();
      } finally {
        lock.unlock();
      }
    }

    void close() {
      List<Connection> all;
      lock.lock();
      try {
        shut = true;
        all = List.copyOf(connections);
        connections.clear();
      } finally {
        lock.unlock();
      }
      all.forEach(Connection::close);
      wakeAll();
    }
  }
}
