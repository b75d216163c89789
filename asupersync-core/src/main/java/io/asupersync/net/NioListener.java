package io.asupersync.net;

import io.asupersync.Cx;
import io.asupersync.Waker;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.jspecify.annotations.Nullable;

/** A bound {@link ServerSocketChannel} in non-blocking mode; accept parks on the poller. */
final class NioListener implements ListenerTransport {
  private final ServerSocketChannel channel;
  private final SocketAddress local;
  private final @Nullable Runnable afterClose;
  private volatile @Nullable Waker acceptor;
  private volatile boolean closed;

  NioListener(ServerSocketChannel channel, SocketAddress local, @Nullable Runnable afterClose) throws IOException {
    channel.configureBlocking(false);
    this.channel = channel;
    this.local = local;
    this.afterClose = afterClose;
  }

  @Override
  public StreamTransport accept(Cx cx) throws NetException {
    Readiness wait = new Readiness(cx, channel, SelectionKey.OP_ACCEPT);
    boolean done = false;
    try {
      while (true) {
        cx.checkpoint();
        SocketChannel accepted = channel.accept();
        if (accepted != null) {
          done = true;
          try {
            return new NioStream(accepted);
          } catch (IOException e) {
            NioStream.closeQuietly(accepted);
            throw e;
          }
        }
        acceptor = cx.waker();
        if (closed) {
          throw new NetException(NetException.Reason.CLOSED, "listener " + local + " was closed");
        }
        wait.await();
      }
    } catch (IOException e) {
      throw NetErrors.map(e, "accept on " + local);
    } finally {
      acceptor = null;
      if (!done) {
        wait.abandon();
      }
    }
  }

  @Override
  public SocketAddress localAddress() {
    return local;
  }

  @Override
  public boolean isOpen() {
    return !closed && channel.isOpen();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    NioStream.closeQuietly(channel);
    NioStream.wake(acceptor);
    if (afterClose != null) {
      afterClose.run();
    }
  }
}
