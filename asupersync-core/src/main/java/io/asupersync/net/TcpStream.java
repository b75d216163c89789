package io.asupersync.net;

import io.asupersync.Cx;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A TCP connection with cancel-aware reads and writes; see {@link ByteStream} for the waiting,
 * partial-progress and after-cancellation contract. Under the lab scheduler ({@link Cx#isLab()}) it
 * is a connection of the run's in-memory network.
 *
 * <pre>{@code
 * try (TcpStream s = TcpStream.connect(cx, new InetSocketAddress("127.0.0.1", port))) {
 *   s.write(cx, ByteBuffer.wrap(request));
 *   int n = s.read(cx, reply);
 * }
 * }</pre>
 */
public final class TcpStream implements ByteStream {
  private final StreamTransport transport;

  TcpStream(StreamTransport transport) {
    this.transport = transport;
  }

  /**
   * Connects to {@code remote}, waiting (cancel-aware, bounded by the budget deadline) for the
   * handshake. A cancelled connect leaves nothing open.
   *
   * @throws NetException {@code CONNECTION_REFUSED}, {@code UNREACHABLE}, or another reason
   */
  public static TcpStream connect(Cx cx, InetSocketAddress remote) throws NetException {
    if (cx.isLab()) {
      return new TcpStream(MemoryNetwork.of(cx).connectTcp(cx, remote));
    }
    return new TcpStream(NioStream.connect(cx, remote, null));
  }

  @Override
  public int read(Cx cx, ByteBuffer dst) throws NetException {
    return transport.read(cx, dst);
  }

  @Override
  public void write(Cx cx, ByteBuffer src) throws NetException {
    transport.write(cx, src);
  }

  @Override
  public void shutdownOutput() throws NetException {
    transport.shutdownOutput();
  }

  /**
   * Closes abortively with a TCP reset: unsent data is discarded and the peer's next read or write
   * fails with {@link NetException.Reason#CONNECTION_RESET}. Idempotent; wakes waiting tasks.
   */
  public void abort() {
    transport.abort();
  }

  @Override
  public void close() {
    transport.close();
  }

  @Override
  public boolean isOpen() {
    return transport.isOpen();
  }

  public InetSocketAddress localAddress() {
    return (InetSocketAddress) transport.localAddress();
  }

  public InetSocketAddress remoteAddress() {
    return (InetSocketAddress) transport.remoteAddress();
  }

  @Override
  public String toString() {
    return "TcpStream[" + transport.localAddress() + " -> " + transport.remoteAddress() + (isOpen() ? "" : ", closed") + "]";
  }
}
