package io.asupersync.net;

import io.asupersync.Cx;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A Unix-domain stream connection with cancel-aware reads and writes; see {@link ByteStream} for the
 * contract. Under the lab scheduler it is a connection of the run's in-memory network.
 */
public final class UnixStream implements ByteStream {
  private final StreamTransport transport;

  UnixStream(StreamTransport transport) {
    this.transport = transport;
  }

  /**
   * Connects to the socket file at {@code path}.
   *
   * @throws NetException {@code NOT_FOUND} (no socket file), {@code CONNECTION_REFUSED} (a stale
   *     one), {@code PERMISSION_DENIED}, or another reason
   */
  public static UnixStream connect(Cx cx, Path path) throws NetException {
    if (cx.isLab()) {
      return new UnixStream(MemoryNetwork.of(cx).connectUnix(cx, path));
    }
    return new UnixStream(NioStream.connect(cx, UnixDomainSocketAddress.of(path), StandardProtocolFamily.UNIX));
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

  @Override
  public void close() {
    transport.close();
  }

  @Override
  public boolean isOpen() {
    return transport.isOpen();
  }

  @Override
  public String toString() {
    return "UnixStream[" + transport.remoteAddress() + (isOpen() ? "" : ", closed") + "]";
  }
}
