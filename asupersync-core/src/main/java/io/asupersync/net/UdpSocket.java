package io.asupersync.net;

import io.asupersync.Cx;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.UnresolvedAddressException;

/**
 * A UDP socket with cancel-aware send and receive. Datagrams are all or nothing: a send either hands
 * the whole datagram to the operating system ({@code datagram}'s position moves to its limit) or,
 * when cancelled, sends nothing (the position is unchanged); a cancelled receive takes no datagram, so
 * it stays queued for the next receive. A datagram larger than the receive buffer's room is truncated,
 * as UDP does. Waits honour the budget deadline. Under the lab scheduler it is a socket of the run's
 * in-memory network (which drops datagrams once a receiver has {@value MemoryNetwork#DATAGRAM_QUEUE}
 * queued).
 */
public final class UdpSocket implements AutoCloseable {
  private final DatagramTransport transport;

  private UdpSocket(DatagramTransport transport) {
    this.transport = transport;
  }

  /**
   * Binds to {@code local} (port 0 picks a free one).
   *
   * @throws NetException {@code ADDRESS_IN_USE}, {@code PERMISSION_DENIED}, or another reason
   */
  public static UdpSocket bind(Cx cx, InetSocketAddress local) throws NetException {
    if (cx.isLab()) {
      return new UdpSocket(MemoryNetwork.of(cx).bindUdp(cx, local));
    }
    cx.checkpoint();
    DatagramChannel ch = null;
    try {
      ch = DatagramChannel.open();
      ch.bind(local);
      return new UdpSocket(new NioDatagram(ch));
    } catch (IOException | UnresolvedAddressException e) {
      if (ch != null) {
        NioStream.closeQuietly(ch);
      }
      throw e instanceof IOException io ? NetErrors.map(io, "bind " + local) : NetErrors.unresolved((UnresolvedAddressException) e, "bind " + local);
    }
  }

  /**
   * Sends {@code datagram}'s remaining bytes to {@code target}, waiting while the send buffer is full.
   * Delivery is not guaranteed (UDP).
   *
   * @throws NetException {@code CONNECTION_REFUSED} on a connected socket whose peer reported an
   *     unreachable port for an earlier datagram, or another reason
   */
  public void send(Cx cx, ByteBuffer datagram, InetSocketAddress target) throws NetException {
    transport.send(cx, datagram, target);
  }

  /**
   * Waits for the next datagram and puts it into {@code dst}.
   *
   * @return the sender's address
   * @throws NetException {@code CONNECTION_REFUSED} on a connected socket whose peer has no socket,
   *     {@code CLOSED}, or another reason
   * @throws io.asupersync.CancelledException if cancelled; no datagram was taken
   */
  public InetSocketAddress receive(Cx cx, ByteBuffer dst) throws NetException {
    return transport.receive(cx, dst);
  }

  /**
   * Restricts the socket to {@code peer}: only its datagrams are received, sends must go to it, and an
   * unreachable port at the peer is reported as {@code CONNECTION_REFUSED}.
   */
  public void connect(InetSocketAddress peer) throws NetException {
    transport.connect(peer);
  }

  public InetSocketAddress localAddress() {
    return transport.localAddress();
  }

  public boolean isOpen() {
    return transport.isOpen();
  }

  /** Closes the socket and wakes a waiting receive or send (it fails with {@code CLOSED}). Idempotent. */
  @Override
  public void close() {
    transport.close();
  }

  @Override
  public String toString() {
    return "UdpSocket[" + transport.localAddress() + (isOpen() ? "" : ", closed") + "]";
  }
}
