package io.asupersync.net;

import io.asupersync.Cx;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.UnresolvedAddressException;

/**
 * A listening TCP socket whose {@link #accept} is a cancel-aware wait. A cancelled accept takes no
 * connection: pending connections stay in the backlog for the next accept, and the listener stays
 * open. Under the lab scheduler it listens on the run's in-memory network.
 */
public final class TcpListener implements AutoCloseable {
  /** The backlog {@link #bind(Cx, InetSocketAddress)} asks for. */
  public static final int DEFAULT_BACKLOG = 128;

  private final ListenerTransport transport;

  private TcpListener(ListenerTransport transport) {
    this.transport = transport;
  }

  /** Binds to {@code local} (port 0 picks a free one) with a backlog of {@value #DEFAULT_BACKLOG}. */
  public static TcpListener bind(Cx cx, InetSocketAddress local) throws NetException {
    return bind(cx, local, DEFAULT_BACKLOG);
  }

  /**
   * Binds to {@code local} (port 0 picks a free one).
   *
   * @throws NetException {@code ADDRESS_IN_USE}, {@code PERMISSION_DENIED}, or another reason
   */
  public static TcpListener bind(Cx cx, InetSocketAddress local, int backlog) throws NetException {
    if (cx.isLab()) {
      return new TcpListener(MemoryNetwork.of(cx).bindTcp(cx, local));
    }
    cx.checkpoint();
    ServerSocketChannel ch = null;
    try {
      ch = ServerSocketChannel.open();
      ch.bind(local, backlog);
      return new TcpListener(new NioListener(ch, ch.getLocalAddress(), null));
    } catch (UnresolvedAddressException e) {
      if (ch != null) {
        NioStream.closeQuietly(ch);
      }
      throw NetErrors.unresolved(e, "bind " + local);
    } catch (IOException e) {
      if (ch != null) {
        NioStream.closeQuietly(ch);
      }
      throw NetErrors.map(e, "bind " + local);
    }
  }

  /**
   * Waits for the next connection (cancel-aware, bounded by the budget deadline).
   *
   * @throws NetException {@code CLOSED} if the listener is closed, or another reason
   * @throws io.asupersync.CancelledException if cancelled; no connection was taken
   */
  public TcpStream accept(Cx cx) throws NetException {
    return new TcpStream(transport.accept(cx));
  }

  /** The bound address, with the actual port. */
  public InetSocketAddress localAddress() {
    return (InetSocketAddress) transport.localAddress();
  }

  public boolean isOpen() {
    return transport.isOpen();
  }

  /** Stops listening and wakes a task waiting in accept (it fails with {@code CLOSED}). Idempotent. */
  @Override
  public void close() {
    transport.close();
  }

  @Override
  public String toString() {
    return "TcpListener[" + transport.localAddress() + (isOpen() ? "" : ", closed") + "]";
  }
}
