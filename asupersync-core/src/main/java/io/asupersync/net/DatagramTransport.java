package io.asupersync.net;

import io.asupersync.Cx;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** What a datagram socket does, over a real channel or the lab's in-memory network. */
interface DatagramTransport {

  void send(Cx cx, ByteBuffer datagram, InetSocketAddress target) throws NetException;

  InetSocketAddress receive(Cx cx, ByteBuffer dst) throws NetException;

  void connect(InetSocketAddress peer) throws NetException;

  InetSocketAddress localAddress();

  boolean isOpen();

  void close();
}
