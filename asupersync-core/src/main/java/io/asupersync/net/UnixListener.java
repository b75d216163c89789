package io.asupersync.net;

import io.asupersync.Cx;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;

/**
 * A listening Unix-domain stream socket. Its socket file is created owner-only ({@code rw-------},
 * so only the same user, and root, can connect) and never reachable with wider permissions; binding
 * over a stale socket file (one nobody accepts on) replaces it, while a live socket or any file that
 * is not a socket is left alone and refused with {@link NetException.Reason#ADDRESS_IN_USE}. Closing
 * the listener removes its socket file (if it is still the same file). Accept is cancel-aware as in
 * {@link TcpListener}. Under the lab scheduler the name lives in the run's in-memory network.
 */
public final class UnixListener implements AutoCloseable {
  private final ListenerTransport transport;
  private final Path path;

  private UnixListener(ListenerTransport transport, Path path) {
    this.transport = transport;
    this.path = path;
  }

  /**
   * Binds at {@code path}; its parent directory must exist.
   *
   * @throws NetException {@code ADDRESS_IN_USE} (live listener or non-socket file at the path), {@code
   *     PERMISSION_DENIED}, {@code NOT_FOUND} (no parent directory), or another reason
   */
  public static UnixListener bind(Cx cx, Path path) throws NetException {
    Path abs = path.toAbsolutePath().normalize();
    if (cx.isLab()) {
      return new UnixListener(MemoryNetwork.of(cx).bindUnix(cx, abs), abs);
    }
    cx.checkpoint();
    UnixSockets.clearStale(abs);
    ServerSocketChannel ch = null;
    try {
      ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      Object key = UnixSockets.bindOwnerOnly(ch, abs, TcpListener.DEFAULT_BACKLOG);
      NioListener listener = new NioListener(ch, UnixDomainSocketAddress.of(abs), () -> UnixSockets.deleteIfSame(abs, key));
      return new UnixListener(listener, abs);
    } catch (IOException e) {
      if (ch != null) {
        NioStream.closeQuietly(ch);
      }
      throw NetErrors.map(e, "bind " + abs);
    }
  }

  /**
   * Waits for the next connection (cancel-aware, bounded by the budget deadline).
   *
   * @throws io.asupersync.CancelledException if cancelled; no connection was taken
   */
  public UnixStream accept(Cx cx) throws NetException {
    return new UnixStream(transport.accept(cx));
  }

  /** The socket file's path. */
  public Path path() {
    return path;
  }

  public boolean isOpen() {
    return transport.isOpen();
  }

  /** Stops listening, removes the socket file, wakes a waiting accept. Idempotent. */
  @Override
  public void close() {
    transport.close();
  }

  @Override
  public String toString() {
    return "UnixListener[" + path + (isOpen() ? "" : ", closed") + "]";
  }
}
