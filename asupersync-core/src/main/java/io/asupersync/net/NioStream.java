package io.asupersync.net;

import io.asupersync.Cx;
import io.asupersync.Waker;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import org.jspecify.annotations.Nullable;

/**
 * A connected {@link SocketChannel} in non-blocking mode. Every wait is a park on the task's waker,
 * armed with the {@link Poller}; a local close wakes whoever waits. At most one reader and one writer
 * at a time.
 */
final class NioStream implements StreamTransport {
  /** Largest slice handed to one channel call (bounds the JDK's temporary direct buffer). */
  private static final int MAX_IO = 256 * 1024;

  private final SocketChannel channel;
  private final SocketAddress local;
  private final SocketAddress remote;
  private volatile @Nullable Waker reader;
  private volatile @Nullable Waker writer;
  private volatile boolean closed;

  NioStream(SocketChannel channel) throws IOException {
    channel.configureBlocking(false);
    this.channel = channel;
    this.local = channel.getLocalAddress();
    this.remote = channel.getRemoteAddress();
  }

  /** Connects a new channel of {@code family} (null: the default inet family) to {@code remote}. */
  static NioStream connect(Cx cx, SocketAddress remote, @Nullable ProtocolFamily family) throws NetException {
    cx.checkpoint();
    SocketChannel ch;
    try {
      ch = family == null ? SocketChannel.open() : SocketChannel.open(family);
    } catch (IOException e) {
      throw NetErrors.map(e, "cannot open a socket");
    }
    Readiness wait = new Readiness(cx, ch, SelectionKey.OP_CONNECT);
    boolean ok = false;
    try {
      ch.configureBlocking(false);
      boolean connected = ch.connect(remote);
      while (!connected) {
        wait.await();
        cx.checkpoint();
        connected = ch.finishConnect();
      }
      NioStream stream = new NioStream(ch);
      ok = true;
      return stream;
    } catch (UnresolvedAddressException e) {
      throw NetErrors.unresolved(e, "connect to " + remote);
    } catch (IOException e) {
      throw NetErrors.map(e, "connect to " + remote);
    } finally {
      if (!ok) {
        closeQuietly(ch);
      }
    }
  }

  @Override
  public int read(Cx cx, ByteBuffer dst) throws NetException {
    Readiness wait = new Readiness(cx, channel, SelectionKey.OP_READ);
    boolean done = false;
    try {
      while (true) {
        cx.checkpoint();
        if (!dst.hasRemaining()) {
          done = true;
          return 0;
        }
        int n = readSome(dst);
        if (n != 0) {
          done = true;
          return n;
        }
        reader = cx.waker();
        if (closed) {
          throw closedError();
        }
        wait.await();
      }
    } catch (IOException e) {
      throw NetErrors.map(e, "read from " + remote);
    } finally {
      reader = null;
      if (!done) {
        wait.abandon();
      }
    }
  }

  private int readSome(ByteBuffer dst) throws IOException {
    int pos = dst.position();
    ByteBuffer slice = dst.slice(pos, Math.min(dst.remaining(), MAX_IO));
    int n = channel.read(slice);
    if (n > 0) {
      dst.position(pos + n);
    }
    return n;
  }

  @Override
  public void write(Cx cx, ByteBuffer src) throws NetException {
    Readiness wait = new Readiness(cx, channel, SelectionKey.OP_WRITE);
    boolean done = false;
    try {
      while (true) {
        cx.checkpoint();
        if (!src.hasRemaining()) {
          done = true;
          return;
        }
        int pos = src.position();
        int n = channel.write(src.slice(pos, Math.min(src.remaining(), MAX_IO)));
        if (n > 0) {
          src.position(pos + n);
          continue;
        }
        writer = cx.waker();
        if (closed) {
          throw closedError();
        }
        wait.await();
      }
    } catch (IOException e) {
      throw NetErrors.map(e, "write to " + remote);
    } finally {
      writer = null;
      if (!done) {
        wait.abandon();
      }
    }
  }

  @Override
  public void shutdownOutput() throws NetException {
    try {
      channel.shutdownOutput();
    } catch (IOException e) {
      throw NetErrors.map(e, "shut down output to " + remote);
    }
  }

  @Override
  public void abort() {
    try {
      channel.setOption(StandardSocketOptions.SO_LINGER, 0);
    } catch (IOException | UnsupportedOperationException e) {
      // no linger on this transport (Unix domain) or already closed: a plain close it is
    }
    close();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeQuietly(channel);
    wake(reader);
    wake(writer);
  }

  @Override
  public boolean isOpen() {
    return !closed && channel.isOpen();
  }

  @Override
  public SocketAddress localAddress() {
    return local;
  }

  @Override
  public SocketAddress remoteAddress() {
    return remote;
  }

  private NetException closedError() {
    return new NetException(NetException.Reason.CLOSED, "stream to " + remote + " was closed");
  }

  static void wake(@Nullable Waker w) {
    if (w != null) {
      w.wake();
    }
  }

  static void closeQuietly(java.nio.channels.Channel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // closing is best effort; the descriptor is released either way
    }
    Poller.flushClosed();
  }
}
