package io.asupersync.net;

import io.asupersync.Cx;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/** What a byte stream does, over a real channel or the lab's in-memory network. See {@link ByteStream}. */
interface StreamTransport {

  int read(Cx cx, ByteBuffer dst) throws NetException;

  void write(Cx cx, ByteBuffer src) throws NetException;

  void shutdownOutput() throws NetException;

  /** Closes abortively: a TCP reset where the transport has one, else a plain close. */
  void abort();

  void close();

  boolean isOpen();

  SocketAddress localAddress();

  SocketAddress remoteAddress();
}
