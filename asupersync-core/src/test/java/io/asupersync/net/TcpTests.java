package io.asupersync.net;

import io.asupersync.testutil.Tasks;
import static io.asupersync.testutil.Tasks.assertCancelled;
import static io.asupersync.testutil.Tasks.call;
import static io.asupersync.testutil.Tasks.error;
import static io.asupersync.testutil.Tasks.outcome;
import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Budget;
import io.asupersync.CancelKind;
import io.asupersync.Outcome;
import io.asupersync.RegionPolicy;
import io.asupersync.Runtime;
import io.asupersync.TaskHandle;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TcpTests {
  private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

  private final Runtime rt = Runtime.builder().build();
  private TcpListener listener;
  private TcpStream client;
  private TcpStream server;

  @BeforeEach
  void connect() throws Exception {
    listener = call(rt, cx -> TcpListener.bind(cx, ANY_PORT));
    client = call(rt, cx -> TcpStream.connect(cx, listener.localAddress()));
    server = call(rt, cx -> listener.accept(cx));
  }

  @AfterEach
  void close() {
    client.close();
    server.close();
    listener.close();
    assertThat(rt.shutdown().quiescent()).isTrue();
  }

  @Test
  void cancelWakesABlockedReadAndTheStreamStaysUsable() throws Exception {
    ByteBuffer buf = ByteBuffer.allocate(16);
    AtomicReference<Thread> thread = new AtomicReference<>();
    TaskHandle<Outcome<Integer>> reader = rt.spawn("reader", cx -> {
      thread.set(Thread.currentThread());
      return client.read(cx, buf);
    });
    Tasks.awaitParked(thread);
    Tasks.cancel(reader);

    assertCancelled(outcome(reader));
    assertThat(buf.position()).isZero();
    assertThat(client.isOpen()).isTrue();

    call(rt, cx -> {
      server.write(cx, ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)));
      return null;
    });
    int n = call(rt, cx -> client.read(cx, buf));
    assertThat(n).isEqualTo(5);
    assertThat(new String(buf.array(), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("hello");
  }

  @Test
  void cancelledReadFullyKeepsTheBytesAlreadyReceived() throws Exception {
    byte[] message = "0123456789".getBytes(StandardCharsets.US_ASCII);
    ByteBuffer buf = ByteBuffer.allocate(message.length);
    call(rt, cx -> {
      server.write(cx, ByteBuffer.wrap(message, 0, 3));
      return null;
    });
    AtomicReference<Thread> thread = new AtomicReference<>();
    TaskHandle<Outcome<Void>> reader = rt.spawn("reader", cx -> {
      thread.set(Thread.currentThread());
      client.readFully(cx, buf);
      return null;
    });
    Tasks.await("the first 3 bytes arrived", () -> buf.position() == 3);
    Tasks.awaitParked(thread);
    Tasks.cancel(reader);

    assertCancelled(outcome(reader));
    assertThat(buf.position()).isEqualTo(3);

    call(rt, cx -> {
      server.write(cx, ByteBuffer.wrap(message, 3, 7));
      client.readFully(cx, buf);
      return null;
    });
    assertThat(buf.array()).isEqualTo(message);
  }

  @Test
  void budgetDeadlineEndsABlockedReadWithKindDeadline() throws Exception {
    Outcome<Integer> o = rt.run(cx -> cx.scope(RegionPolicy.FAIL_FAST, Budget.timeout(cx.now(), Duration.ofMillis(100)),
        c -> client.read(c, ByteBuffer.allocate(1))).orThrow());
    assertThat(o).isInstanceOfSatisfying(Outcome.Cancelled.class,
        c -> assertThat(c.reason().kind()).isEqualTo(CancelKind.DEADLINE));
    assertThat(client.isOpen()).isTrue();
  }

  @Test
  void cancelWakesABlockedAcceptAndTheListenerStaysUsable() throws Exception {
    AtomicReference<Thread> thread = new AtomicReference<>();
    TaskHandle<Outcome<TcpStream>> acceptor = rt.spawn("acceptor", cx -> {
      thread.set(Thread.currentThread());
      return listener.accept(cx);
    });
    Tasks.awaitParked(thread);
    Tasks.cancel(acceptor);
    assertCancelled(outcome(acceptor));
    assertThat(listener.isOpen()).isTrue();

    try (TcpStream second = call(rt, cx -> TcpStream.connect(cx, listener.localAddress()));
        TcpStream accepted = call(rt, cx -> listener.accept(cx))) {
      assertThat(accepted.remoteAddress()).isEqualTo(second.localAddress());
    }
  }

  @Test
  void cancelledSlowWriteReportsExactlyTheBytesWritten() throws Exception {
    byte[] payload = new byte[48 * 1024 * 1024]; // far more than loopback socket buffers hold unread
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (i * 31 + (i >>> 13));
    }
    ByteBuffer src = ByteBuffer.wrap(payload);
    AtomicReference<Thread> thread = new AtomicReference<>();
    TaskHandle<Outcome<Void>> writer = rt.spawn("writer", cx -> {
      thread.set(Thread.currentThread());
      client.write(cx, src);
      return null;
    });
    Tasks.await("the writer made progress", () -> src.position() > 0);
    Tasks.awaitParked(thread); // the peer does not read: the send buffer is full
    Tasks.cancel(writer);

    assertCancelled(outcome(writer));
    int written = src.position();
    assertThat(written).isPositive().isLessThan(payload.length);
    assertThat(client.isOpen()).isTrue();

    client.close(); // the peer now reads exactly what was written, then end of stream
    byte[] received = call(rt, cx -> {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      ByteBuffer buf = ByteBuffer.allocate(1 << 20);
      while (server.read(cx, buf) >= 0) {
        all.write(buf.array(), 0, buf.position());
        buf.clear();
      }
      return all.toByteArray();
    });
    assertThat(received.length).isEqualTo(written);
    assertThat(Arrays.equals(received, Arrays.copyOf(payload, written))).isTrue();
  }

  @Test
  void closingAStreamWakesItsBlockedReaderWithClosed() throws Exception {
    AtomicReference<Thread> thread = new AtomicReference<>();
    TaskHandle<Outcome<Integer>> reader = rt.spawn("reader", cx -> {
      thread.set(Thread.currentThread());
      return client.read(cx, ByteBuffer.allocate(1));
    });
    Tasks.awaitParked(thread);
    client.close();
    assertThat(error(outcome(reader))).isInstanceOfSatisfying(NetException.class,
        e -> assertThat(e.reason()).isEqualTo(NetException.Reason.CLOSED));
  }

  @Test
  void connectingToAClosedPortIsRefused() throws Exception {
    InetSocketAddress gone = call(rt, cx -> {
      try (TcpListener l = TcpListener.bind(cx, ANY_PORT)) {
        return l.localAddress();
      }
    });
    Outcome<TcpStream> o = rt.run(cx -> TcpStream.connect(cx, gone));
    assertThat(error(o)).isInstanceOfSatisfying(NetException.class,
        e -> assertThat(e.reason()).isEqualTo(NetException.Reason.CONNECTION_REFUSED));
  }

  @Test
  void abortiveCloseByThePeerIsAConnectionReset() throws Exception {
    server.abort();
    Outcome<Integer> o = rt.run(cx -> client.read(cx, ByteBuffer.allocate(8)));
    assertThat(error(o)).isInstanceOfSatisfying(NetException.class,
        e -> assertThat(e.reason()).isEqualTo(NetException.Reason.CONNECTION_RESET));
  }

  @Test
  void writingAfterThePeerClosedIsABrokenPipe() throws Exception {
    server.close();
    Outcome<Object> o = rt.run(cx -> cx.<Object>scope(RegionPolicy.FAIL_FAST, Budget.timeout(cx.now(), Tasks.TIMEOUT), c -> {
      assertThat(client.read(c, ByteBuffer.allocate(1))).isEqualTo(-1); // the FIN arrived
      while (true) { // the first write draws the peer's reset; a later one meets the closed pipe
        client.write(c, ByteBuffer.wrap(new byte[1024]));
        c.sleep(Duration.ofMillis(1));
      }
    }).orThrow());
    assertThat(error(o)).isInstanceOfSatisfying(NetException.class,
        e -> assertThat(e.reason()).isEqualTo(NetException.Reason.BROKEN_PIPE));
  }

  @Test
  void halfCloseDeliversEndOfStreamAndKeepsTheOtherDirection() throws Exception {
    String echoed = call(rt, cx -> {
      client.write(cx, ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)));
      client.shutdownOutput();
      ByteBuffer in = ByteBuffer.allocate(16);
      while (server.read(cx, in) >= 0) {
        // drain to end of stream
      }
      in.flip();
      server.write(cx, in);
      server.close();
      ByteBuffer back = ByteBuffer.allocate(16);
      while (client.read(cx, back) >= 0) {
        // until the server's close
      }
      return new String(back.array(), 0, back.position(), StandardCharsets.US_ASCII);
    });
    assertThat(echoed).isEqualTo("ping");
  }
}
