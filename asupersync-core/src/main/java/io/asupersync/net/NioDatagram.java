package io.asupersync.net;

import io.asupersync.Cx;
import io.asupersync.Waker;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.UnresolvedAddressException;
import org.jspecify.annotations.Nullable;

/** A {@link DatagramChannel} in non-blocking mode; send and receive park on the poller. */
final class NioDatagram implements DatagramTransport {
  private final DatagramChannel channel;
  private final InetSocketAddress local;
  private volatile @Nullable Waker receiver;
  private volatile @Nullable Waker sender;
  private volatile boolean closed;

  NioDatagram(DatagramChannel channel) throws IOException {
    channel.configureBlocking(false);
    this.channel = channel;
    this.local = (InetSocketAddress) channel.getLocalAddress();
  }

  @Override
  public void send(Cx cx, ByteBuffer datagram, InetSocketAddress target) throws NetException {
    Readiness wait = new Readiness(cx, channel, SelectionKey.OP_WRITE);
    boolean done = false;
    try {
      while (true) {
        cx.checkpoint();
        boolean empty = !datagram.hasRemaining();
        int n = channel.send(datagram, target);
        if (n > 0 || empty) {
          done = true;
          return;
        }
        sender = cx.waker();
        if (closed) {
          throw closedError();
        }
        wait.await();
      }
    } catch (UnresolvedAddressException e) {
      throw NetErrors.unresolved(e, "send to " + target);
    } catch (IOException e) {
      throw NetErrors.map(e, "send to " + target);
    } finally {
      sender = null;
      if (!done) {
        wait.abandon();
      }
    }
  }

  @Override
  public InetSocketAddress receive(Cx cx, ByteBuffer dst) throws NetException {
    Readiness wait = new Readiness(cx, channel, SelectionKey.OP_READ);
    boolean done = false;
    try {
      while (true) {
        cx.checkpoint();
        SocketAddress from = channel.receive(dst);
        if (from != null) {
          done = true;
          return (InetSocketAddress) from;
        }
        receiver = cx.waker();
        if (closed) {
          throw closedError();
        }
        wait.await();
      }
    } catch (IOException e) {
      throw NetErrors.map(e, "receive on " + local);
    } finally {
      receiver = null;
      if (!done) {
        wait.abandon();
      }
    }
  }

  @Override
  public void connect(InetSocketAddress peer) throws NetException {
    try {
      channel.connect(peer);
    } catch (UnresolvedAddressException e) {
      throw NetErrors.unresolved(e, "connect to " + peer);
    } catch (IOException e) {
      throw NetErrors.map(e, "connect to " + peer);
    }
  }

  @Override
  public InetSocketAddress localAddress() {
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
    NioStream.wake(receiver);
    NioStream.wake(sender);
  }

  private NetException closedError() {
    return new NetException(NetException.Reason.CLOSED, "datagram socket " + local + " was closed");
  }
}
