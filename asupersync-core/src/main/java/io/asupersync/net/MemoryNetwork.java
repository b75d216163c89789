package io.asupersync.net;

import io.asupersync.Cx;
import io.asupersync.Waker;
import io.asupersync.internal.RuntimeAccess;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The lab's network: one host on which every address is local, one instance per lab run. Streams are
 * pairs of bounded byte pipes ({@value #PIPE_CAPACITY} bytes each way, so a peer that does not read
 * makes writes wait), listeners keep a backlog of {@value #BACKLOG}, datagram sockets queue up to
 * {@value #DATAGRAM_QUEUE} datagrams and drop the rest. Ports are handed out from 49152 in order, so a
 * run is a function of its seed. Every operation starts with a checkpoint (a scheduling point) and
 * every wait is a park on the task's waker, woken by the peer's operation; a wait nobody can end is
 * the lab's deadlock, never a hang. Unix-domain names live here, not in the lab file system.
 *
 * <p>The lab runs one task at a time; the monitor only guards against misuse from outside.
 */
final class MemoryNetwork {
  static final int PIPE_CAPACITY = 64 * 1024;
  static final int BACKLOG = 128;
  static final int DATAGRAM_QUEUE = 64;
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final Map<String, Listener> listeners = new HashMap<>();
  private final Map<Integer, Datagram> datagrams = new HashMap<>();
  private int nextPort = 49152;

  static MemoryNetwork of(Cx cx) {
    return RuntimeAccess.attachment(cx, MemoryNetwork.class, MemoryNetwork::new);
  }

  private static String tcpKey(int port) {
    return "tcp:" + port;
  }

  private static String unixKey(Path path) {
    return "unix:" + path.toAbsolutePath().normalize();
  }

  private int ephemeralPort(java.util.function.IntPredicate taken) {
    for (int i = 0; i < 16384; i++) {
      int port = nextPort;
      nextPort = nextPort == 65535 ? 49152 : nextPort + 1;
      if (!taken.test(port)) {
        return port;
      }
    }
    throw new IllegalStateException("lab network ran out of ephemeral ports");
  }

  // ---- TCP and Unix-domain streams

  ListenerTransport bindTcp(Cx cx, InetSocketAddress local) throws NetException {
    cx.checkpoint();
    synchronized (this) {
      int port = local.getPort() != 0 ? local.getPort() : ephemeralPort(p -> listeners.containsKey(tcpKey(p)));
      String key = tcpKey(port);
      if (listeners.containsKey(key)) {
        throw new NetException(NetException.Reason.ADDRESS_IN_USE, "lab port " + port + " is taken");
      }
      Listener l = new Listener(key, new InetSocketAddress(LOOPBACK, port));
      listeners.put(key, l);
      return l;
    }
  }

  ListenerTransport bindUnix(Cx cx, Path path) throws NetException {
    cx.checkpoint();
    synchronized (this) {
      String key = unixKey(path);
      if (listeners.containsKey(key)) {
        throw new NetException(NetException.Reason.ADDRESS_IN_USE, "a lab listener is accepting at " + path);
      }
      Listener l = new Listener(key, UnixDomainSocketAddress.of(path.toAbsolutePath().normalize()));
      listeners.put(key, l);
      return l;
    }
  }

  StreamTransport connectTcp(Cx cx, InetSocketAddress remote) throws NetException {
    cx.checkpoint();
    synchronized (this) {
      Listener l = listeners.get(tcpKey(remote.getPort()));
      if (l == null) {
        throw new NetException(NetException.Reason.CONNECTION_REFUSED, "nothing listens at lab port " + remote.getPort());
      }
      int port = ephemeralPort(p -> listeners.containsKey(tcpKey(p)));
      return l.enqueue(new InetSocketAddress(LOOPBACK, port));
    }
  }

  StreamTransport connectUnix(Cx cx, Path path) throws NetException {
    cx.checkpoint();
    synchronized (this) {
      Listener l = listeners.get(unixKey(path));
      if (l == null) {
        throw new NetException(NetException.Reason.NOT_FOUND, "no lab socket at " + path);
      }
      return l.enqueue(UnixDomainSocketAddress.of(""));
    }
  }

  /** One direction of a connection. */
  private static final class Pipe {
    final byte[] buf = new byte[PIPE_CAPACITY];
    int head;
    int size;
    /** The writer shut down its output: the reader sees end of stream once drained. */
    boolean eof;
    /** The reader closed: writes fail. */
    boolean readerGone;
    /** The connection was reset: reads and writes fail with CONNECTION_RESET. */
    boolean reset;
    @Nullable Waker reader;
    @Nullable Waker writer;

    int take(ByteBuffer dst) {
      int n = Math.min(size, dst.remaining());
      for (int i = 0; i < n; i++) {
        dst.put(buf[(head + i) % PIPE_CAPACITY]);
      }
      head = (head + n) % PIPE_CAPACITY;
      size -= n;
      return n;
    }

    int put(ByteBuffer src) {
      int n = Math.min(PIPE_CAPACITY - size, src.remaining());
      for (int i = 0; i < n; i++) {
        buf[(head + size + i) % PIPE_CAPACITY] = src.get();
      }
      size += n;
      return n;
    }

    void clear() {
      head = 0;
      size = 0;
    }

    void wakeAll() {
      NioStream.wake(reader);
      NioStream.wake(writer);
    }
  }

  private final class Listener implements ListenerTransport {
    private final String key;
    private final SocketAddress local;
    private final ArrayDeque<End> backlog = new ArrayDeque<>();
    private @Nullable Waker acceptor;
    private boolean closed;

    Listener(String key, SocketAddress local) {
      this.key = key;
      this.local = local;
    }

    /** Creates a connection whose server end waits in the backlog; returns the client end. */
    StreamTransport enqueue(SocketAddress clientAddress) throws NetException {
      if (backlog.size() >= BACKLOG) {
        throw new NetException(NetException.Reason.CONNECTION_REFUSED, "backlog of lab listener " + local + " is full");
      }
      Pipe up = new Pipe();
      Pipe down = new Pipe();
      End client = new End(down, up, clientAddress, local);
      End server = new End(up, down, local, clientAddress);
      backlog.add(server);
      NioStream.wake(acceptor);
      return client;
    }

    @Override
    public StreamTransport accept(Cx cx) throws NetException {
      Waker me = cx.waker();
      try {
        while (true) {
          cx.checkpoint();
          synchronized (MemoryNetwork.this) {
            if (closed) {
              throw new NetException(NetException.Reason.CLOSED, "lab listener " + local + " was closed");
            }
            End e = backlog.poll();
            if (e != null) {
              return e;
            }
            acceptor = me;
          }
          cx.park(null);
        }
      } finally {
        synchronized (MemoryNetwork.this) {
          if (acceptor == me) {
            acceptor = null;
          }
        }
      }
    }

    @Override
    public SocketAddress localAddress() {
      return local;
    }

    @Override
    public boolean isOpen() {
      synchronized (MemoryNetwork.this) {
        return !closed;
      }
    }

    @Override
    public void close() {
      synchronized (MemoryNetwork.this) {
        if (closed) {
          return;
        }
        closed = true;
        listeners.remove(key);
        for (End pending : backlog) {
          pending.abort();
        }
        backlog.clear();
        NioStream.wake(acceptor);
      }
    }
  }

  private final class End implements StreamTransport {
    private final Pipe in;
    private final Pipe out;
    private final SocketAddress local;
    private final SocketAddress remote;
    private boolean closed;
    private boolean outputShut;

    End(Pipe in, Pipe out, SocketAddress local, SocketAddress remote) {
      this.in = in;
      this.out = out;
      this.local = local;
      this.remote = remote;
    }

    @Override
    public int read(Cx cx, ByteBuffer dst) throws NetException {
      Waker me = cx.waker();
      try {
        while (true) {
          cx.checkpoint();
          synchronized (MemoryNetwork.this) {
            if (closed) {
              throw new NetException(NetException.Reason.CLOSED, "lab stream to " + remote + " was closed");
            }
            if (!dst.hasRemaining()) {
              return 0;
            }
            if (in.reset) {
              throw new NetException(NetException.Reason.CONNECTION_RESET, "lab peer " + remote + " reset the connection");
            }
            if (in.size > 0) {
              int n = in.take(dst);
              NioStream.wake(in.writer);
              return n;
            }
            if (in.eof) {
              return -1;
            }
            in.reader = me;
          }
          cx.park(null);
        }
      } finally {
        synchronized (MemoryNetwork.this) {
          if (in.reader == me) {
            in.reader = null;
          }
        }
      }
    }

    @Override
    public void write(Cx cx, ByteBuffer src) throws NetException {
      Waker me = cx.waker();
      try {
        while (true) {
          cx.checkpoint();
          synchronized (MemoryNetwork.this) {
            if (closed || outputShut) {
              throw new NetException(NetException.Reason.CLOSED, "lab stream to " + remote + " was closed for writing");
            }
            if (!src.hasRemaining()) {
              return;
            }
            if (out.reset) {
              throw new NetException(NetException.Reason.CONNECTION_RESET, "lab peer " + remote + " reset the connection");
            }
            if (out.readerGone) {
              throw new NetException(NetException.Reason.BROKEN_PIPE, "lab peer " + remote + " closed the connection");
            }
            if (out.put(src) > 0) {
              NioStream.wake(out.reader);
              continue;
            }
            out.writer = me;
          }
          cx.park(null);
        }
      } finally {
        synchronized (MemoryNetwork.this) {
          if (out.writer == me) {
            out.writer = null;
          }
        }
      }
    }

    @Override
    public void shutdownOutput() throws NetException {
      synchronized (MemoryNetwork.this) {
        if (closed) {
          throw new NetException(NetException.Reason.CLOSED, "lab stream to " + remote + " was closed");
        }
        outputShut = true;
        out.eof = true;
        out.wakeAll();
      }
    }

    @Override
    public void abort() {
      synchronized (MemoryNetwork.this) {
        if (closed) {
          return;
        }
        closed = true;
        out.clear();
        out.reset = true;
        in.clear();
        in.reset = true;
        out.wakeAll();
        in.wakeAll();
      }
    }

    @Override
    public void close() {
      synchronized (MemoryNetwork.this) {
        if (closed) {
          return;
        }
        closed = true;
        out.eof = true;
        in.readerGone = true;
        in.clear();
        out.wakeAll();
        in.wakeAll();
      }
    }

    @Override
    public boolean isOpen() {
      synchronized (MemoryNetwork.this) {
        return !closed;
      }
    }

    @Override
    public SocketAddress localAddress() {
      return local;
    }

    @Override
    public SocketAddress remoteAddress() {
      return remote;
    }
  }

  // ---- UDP

  DatagramTransport bindUdp(Cx cx, InetSocketAddress local) throws NetException {
    cx.checkpoint();
    synchronized (this) {
      int port = local.getPort() != 0 ? local.getPort() : ephemeralPort(datagrams::containsKey);
      if (datagrams.containsKey(port)) {
        throw new NetException(NetException.Reason.ADDRESS_IN_USE, "lab UDP port " + port + " is taken");
      }
      Datagram d = new Datagram(new InetSocketAddress(LOOPBACK, port));
      datagrams.put(port, d);
      return d;
    }
  }

  private static final class Packet {
    final InetSocketAddress from;
    final byte[] data;

    Packet(InetSocketAddress from, byte[] data) {
      this.from = from;
      this.data = data;
    }
  }

  private final class Datagram implements DatagramTransport {
    private final InetSocketAddress local;
    private final ArrayDeque<Packet> queue = new ArrayDeque<>();
    private @Nullable InetSocketAddress connected;
    private boolean refusedPending;
    private @Nullable Waker receiver;
    private boolean closed;

    Datagram(InetSocketAddress local) {
      this.local = local;
    }

    @Override
    public void send(Cx cx, ByteBuffer datagram, InetSocketAddress target) throws NetException {
      cx.checkpoint();
      synchronized (MemoryNetwork.this) {
        checkUsable();
        if (connected != null && connected.getPort() != target.getPort()) {
          throw new NetException(NetException.Reason.OTHER, "lab socket is connected to " + connected + ", not " + target);
        }
        byte[] data = new byte[datagram.remaining()];
        datagram.get(data);
        Datagram dst = datagrams.get(target.getPort());
        if (dst == null || dst.closed) {
          if (connected != null) {
            refusedPending = true; // what an ICMP port unreachable does to a connected socket
            NioStream.wake(receiver);
          }
          return;
        }
        if ((dst.connected == null || dst.connected.getPort() == local.getPort()) && dst.queue.size() < DATAGRAM_QUEUE) {
          dst.queue.add(new Packet(local, data));
          NioStream.wake(dst.receiver);
        }
      }
    }

    @Override
    public InetSocketAddress receive(Cx cx, ByteBuffer dst) throws NetException {
      Waker me = cx.waker();
      try {
        while (true) {
          cx.checkpoint();
          synchronized (MemoryNetwork.this) {
            checkUsable();
            Packet p = queue.poll();
            if (p != null) {
              dst.put(p.data, 0, Math.min(p.data.length, dst.remaining()));
              return p.from;
            }
            receiver = me;
          }
          cx.park(null);
        }
      } finally {
        synchronized (MemoryNetwork.this) {
          if (receiver == me) {
            receiver = null;
          }
        }
      }
    }

    private void checkUsable() throws NetException {
      if (closed) {
        throw new NetException(NetException.Reason.CLOSED, "lab datagram socket " + local + " was closed");
      }
      if (refusedPending) {
        refusedPending = false;
        throw new NetException(NetException.Reason.CONNECTION_REFUSED, "nothing listens at lab UDP port " + (connected == null ? "?" : connected.getPort()));
      }
    }

    @Override
    public void connect(InetSocketAddress peer) {
      synchronized (MemoryNetwork.this) {
        connected = peer;
      }
    }

    @Override
    public InetSocketAddress localAddress() {
      return local;
    }

    @Override
    public boolean isOpen() {
      synchronized (MemoryNetwork.this) {
        return !closed;
      }
    }

    @Override
    public void close() {
      synchronized (MemoryNetwork.this) {
        if (closed) {
          return;
        }
        closed = true;
        datagrams.remove(local.getPort());
        NioStream.wake(receiver);
      }
    }
  }
}
