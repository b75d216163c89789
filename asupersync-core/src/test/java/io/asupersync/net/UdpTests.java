package io.asupersync.net;

import io.asupersync.testutil.Tasks;
import static io.asupersync.testutil.Tasks.assertCancelled;
import static io.asupersync.testutil.Tasks.call;
import static io.asupersync.testutil.Tasks.error;
import static io.asupersync.testutil.Tasks.outcome;
import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Budget;
import io.asupersync.Outcome;
import io.asupersync.RegionPolicy;
import io.asupersync.Runtime;
import io.asupersync.TaskHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UdpTests {
  private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

  private final Runtime rt = Runtime.builder().build();

  @AfterEach
  void close() {
    assertThat(rt.shutdown().quiescent()).isTrue();
  }

  @Test
  void cancelledReceiveTakesNoDatagramAndTheNextReceiveGetsIt() throws Exception {
    try (UdpSocket a = call(rt, cx -> UdpSocket.bind(cx, ANY_PORT));
        UdpSocket b = call(rt, cx -> UdpSocket.bind(cx, ANY_PORT))) {
      ByteBuffer buf = ByteBuffer.allocate(64);
      AtomicReference<Thread> thread = new AtomicReference<>();
      TaskHandle<Outcome<InetSocketAddress>> receiver = rt.spawn("receiver", cx -> {
        thread.set(Thread.currentThread());
        return b.receive(cx, buf);
      });
      Tasks.awaitParked(thread);
      Tasks.cancel(receiver);
      assertCancelled(outcome(receiver));
      assertThat(buf.position()).isZero();

      ByteBuffer datagram = ByteBuffer.wrap("hi".getBytes(StandardCharsets.US_ASCII));
      InetSocketAddress from = call(rt, cx -> {
        a.send(cx, datagram, b.localAddress());
        return b.receive(cx, buf);
      });
      assertThat(datagram.hasRemaining()).isFalse();
      assertThat(from.getPort()).isEqualTo(a.localAddress().getPort());
      assertThat(new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII)).isEqualTo("hi");
    }
  }

  @Test
  void connectedSocketLearnsThatNothingListensAsConnectionRefused() throws Exception {
    InetSocketAddress gone = call(rt, cx -> {
      try (UdpSocket s = UdpSocket.bind(cx, ANY_PORT)) {
        return s.localAddress();
      }
    });
    try (UdpSocket a = call(rt, cx -> UdpSocket.bind(cx, ANY_PORT))) {
      a.connect(gone);
      Outcome<InetSocketAddress> o = rt.run(cx -> cx.scope(RegionPolicy.FAIL_FAST, Budget.timeout(cx.now(), Tasks.TIMEOUT), c -> {
        a.send(c, ByteBuffer.wrap(new byte[] {1}), gone);
        return a.receive(c, ByteBuffer.allocate(8)); // the ICMP port unreachable surfaces here
      }).orThrow());
      assertThat(error(o)).isInstanceOfSatisfying(NetException.class,
          e -> assertThat(e.reason()).isEqualTo(NetException.Reason.CONNECTION_REFUSED));
    }
  }

  @Test
  void closingWakesABlockedReceiveWithClosed() throws Exception {
    UdpSocket s = call(rt, cx -> UdpSocket.bind(cx, ANY_PORT));
    AtomicReference<Thread> thread = new AtomicReference<>();
    TaskHandle<Outcome<InetSocketAddress>> receiver = rt.spawn("receiver", cx -> {
      thread.set(Thread.currentThread());
      return s.receive(cx, ByteBuffer.allocate(8));
    });
    Tasks.awaitParked(thread);
    s.close();
    assertThat(error(outcome(receiver))).isInstanceOfSatisfying(NetException.class,
        e -> assertThat(e.reason()).isEqualTo(NetException.Reason.CLOSED));
  }
}
