package io.asupersync.net;

import io.asupersync.Cx;
import java.net.SocketAddress;

/** What a listener does, over a real channel or the lab's in-memory network. */
interface ListenerTransport {

  StreamTransport accept(Cx cx) throws NetException;

  SocketAddress localAddress();

  boolean isOpen();

  void close();
}
