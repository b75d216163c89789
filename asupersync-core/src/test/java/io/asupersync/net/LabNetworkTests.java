package io.asupersync.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.CancelKind;
import io.asupersync.CancelReason;
import io.asupersync.Cx;
import io.asupersync.Outcome;
import io.asupersync.TaskBody;
import io.asupersync.TaskHandle;
import io.asupersync.lab.LabRun;
import io.asupersync.lab.LabRuntime;
import io.asupersync.lab.Oracle;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The same socket code under the lab scheduler runs on the in-memory network, deterministically. */
class LabNetworkTests {
  private static final InetSocketAddress ANY_PORT = new InetSocketAddress(0);

  private static String text(ByteBuffer buf) {
    return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
  }

  private static String readToEnd(Cx cx, ByteStream s) throws Exception {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(7); // small, so reads interleave with writes
    while (s.read(cx, buf) >= 0) {
      all.write(buf.array(), 0, buf.position());
      buf.clear();
    }
    return all.toString(StandardCharsets.UTF_8);
  }

  /** An echo server with three concurrent TCP clients, a Unix-domain echo and a UDP ping. */
  static final TaskBody<List<String>> ECHO = cx -> {
    List<String> results = new ArrayList<>();
    try (TcpListener listener = TcpListener.bind(cx, ANY_PORT)) {
      TaskHandle<Void> server = cx.spawn("server", c -> {
        for (int i = 0; i < 3; i++) {
          TcpStream s = listener.accept(c);
          c.spawn("echo-" + i, e -> {
            try (s) {
              ByteBuffer buf = ByteBuffer.allocate(5);
              while (s.read(e, buf) >= 0) {
                buf.flip();
                s.write(e, buf);
                buf.clear();
              }
              s.shutdownOutput();
            }
            return null;
          });
        }
        return null;
      });
      List<TaskHandle<String>> clients = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        String message = "message from client " + i;
        clients.add(cx.spawn("client-" + i, c -> {
          try (TcpStream s = TcpStream.connect(c, listener.localAddress())) {
            byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
            s.write(c, ByteBuffer.wrap(bytes, 0, 8));
            s.write(c, ByteBuffer.wrap(bytes, 8, bytes.length - 8));
            s.shutdownOutput();
            return readToEnd(c, s);
          }
        }));
      }
      for (TaskHandle<String> h : clients) {
        results.add(h.join(cx).orThrow());
      }
      server.join(cx).orThrow();
    }

    Path sock = Path.of("/lab/run/echo.sock");
    try (UnixListener unix = UnixListener.bind(cx, sock)) {
      TaskHandle<String> peer = cx.spawn("unix-client", c -> {
        try (UnixStream s = UnixStream.connect(c, sock)) {
          s.write(c, ByteBuffer.wrap("unix".getBytes(StandardCharsets.UTF_8)));
          s.shutdownOutput();
          return readToEnd(c, s);
        }
      });
      try (UnixStream s = unix.accept(cx)) {
        String got = readToEnd(cx, s);
        s.write(cx, ByteBuffer.wrap(got.getBytes(StandardCharsets.UTF_8)));
      }
      results.add(peer.join(cx).orThrow());
    }

    try (UdpSocket a = UdpSocket.bind(cx, ANY_PORT); UdpSocket b = UdpSocket.bind(cx, ANY_PORT)) {
      TaskHandle<String> receiver = cx.spawn("udp-receiver", c -> {
        ByteBuffer buf = ByteBuffer.allocate(16);
        InetSocketAddress from = b.receive(c, buf);
        return text(buf) + " from " + from.getPort();
      });
      a.send(cx, ByteBuffer.wrap("udp".getBytes(StandardCharsets.UTF_8)), b.localAddress());
      results.add(receiver.join(cx).orThrow());
    }
    return results;
  };

  @Test
  void sameSeedGivesTheSameRunAndFingerprint() {
    LabRun<List<String>> a = LabRuntime.run(7, ECHO);
    LabRun<List<String>> b = LabRuntime.run(7, ECHO);
    assertThat(a.passed()).as(a.report()).isTrue();
    assertThat(a.outcome()).isEqualTo(b.outcome());
    assertThat(a.fingerprint()).isEqualTo(b.fingerprint());
    assertThat(a.choices()).isEqualTo(b.choices());
    assertThat(a.trace()).isEqualTo(b.trace());
  }

  @Test
  void everySeedPassesWithTheSameResult() {
    Set<Long> fingerprints = new HashSet<>();
    for (long seed = 0; seed < 40; seed++) {
      LabRun<List<String>> run = LabRuntime.run(seed, ECHO);
      assertThat(run.passed()).as(run.report()).isTrue();
      assertThat(run.outcome()).isEqualTo(Outcome.ok(List.of(
          "message from client 0", "message from client 1", "message from client 2", "unix", "udp from 49156")));
      fingerprints.add(run.fingerprint());
    }
    assertThat(fingerprints).as("different seeds explore different schedules").hasSizeGreaterThan(5);
  }

  @Test
  void cancelledReadInTheLabTakesNothingAndTheStreamStaysUsable() {
    for (long seed = 0; seed < 20; seed++) {
      LabRun<String> run = LabRuntime.run(seed, cx -> {
        try (TcpListener l = TcpListener.bind(cx, ANY_PORT);
            TcpStream c = TcpStream.connect(cx, l.localAddress());
            TcpStream s = l.accept(cx)) {
          ByteBuffer buf = ByteBuffer.allocate(8);
          TaskHandle<Integer> reader = cx.spawn("reader", r -> c.read(r, buf));
          cx.sleep(Duration.ofMillis(5)); // virtual time moves only once the reader is parked
          reader.cancel(CancelReason.from(cx, CancelKind.USER, "stop reading"));
          Outcome<Integer> o = reader.join(cx);
          if (!(o instanceof Outcome.Cancelled<Integer>) || buf.position() != 0) {
            return "unexpected " + o + " with " + buf.position() + " bytes";
          }
          s.write(cx, ByteBuffer.wrap("later".getBytes(StandardCharsets.UTF_8)));
          c.read(cx, buf);
          return text(buf);
        }
      });
      assertThat(run.passed()).as(run.report()).isTrue();
      assertThat(run.outcome()).isEqualTo(Outcome.ok("later"));
    }
  }

  @Test
  @SuppressWarnings("try") // the writer's end is closed early on purpose (close is idempotent)
  void cancelledSlowWriteInTheLabReportsExactlyTheBytesWritten() {
    for (long seed = 0; seed < 20; seed++) {
      LabRun<List<Integer>> run = LabRuntime.run(seed, cx -> {
        try (TcpListener l = TcpListener.bind(cx, ANY_PORT);
            TcpStream c = TcpStream.connect(cx, l.localAddress());
            TcpStream s = l.accept(cx)) {
          ByteBuffer src = ByteBuffer.allocate(1 << 20);
          TaskHandle<Void> writer = cx.spawn("writer", w -> {
            c.write(w, src);
            return null;
          });
          cx.sleep(Duration.ofMillis(5));
          writer.cancel(CancelReason.from(cx, CancelKind.USER, "stop writing"));
          boolean cancelled = writer.join(cx) instanceof Outcome.Cancelled<Void>;
          c.close();
          int received = 0;
          ByteBuffer buf = ByteBuffer.allocate(4096);
          for (int n; (n = s.read(cx, buf)) >= 0; buf.clear()) {
            received += n;
          }
          return List.of(cancelled ? 1 : 0, src.position(), received);
        }
      });
      assertThat(run.passed()).as(run.report()).isTrue();
      assertThat(run.outcome()).isEqualTo(Outcome.ok(List.of(1, MemoryNetwork.PIPE_CAPACITY, MemoryNetwork.PIPE_CAPACITY)));
    }
  }

  @Test
  void labErrorsHaveTheSameReasonsAsRealSockets() {
    LabRun<List<NetException.Reason>> run = LabRuntime.run(1, cx -> {
      List<NetException.Reason> reasons = new ArrayList<>();
      InetSocketAddress gone;
      try (TcpListener l = TcpListener.bind(cx, ANY_PORT)) {
        gone = l.localAddress();
      }
      try {
        TcpStream.connect(cx, gone);
      } catch (NetException e) {
        reasons.add(e.reason());
      }
      try (TcpListener l = TcpListener.bind(cx, ANY_PORT)) {
        TcpStream c = TcpStream.connect(cx, l.localAddress());
        TcpStream s = l.accept(cx);
        s.abort();
        try {
          c.read(cx, ByteBuffer.allocate(1));
        } catch (NetException e) {
          reasons.add(e.reason());
        }
        TcpStream c2 = TcpStream.connect(cx, l.localAddress());
        l.accept(cx).close();
        try {
          c2.write(cx, ByteBuffer.allocate(1));
        } catch (NetException e) {
          reasons.add(e.reason());
        }
        c2.close();
        try {
          c2.read(cx, ByteBuffer.allocate(1));
        } catch (NetException e) {
          reasons.add(e.reason());
        }
      }
      try {
        UnixStream.connect(cx, Path.of("/lab/nobody.sock"));
      } catch (NetException e) {
        reasons.add(e.reason());
      }
      return reasons;
    });
    assertThat(run.passed()).as(run.report()).isTrue();
    assertThat(run.outcome()).isEqualTo(Outcome.ok(List.of(
        NetException.Reason.CONNECTION_REFUSED,
        NetException.Reason.CONNECTION_RESET,
        NetException.Reason.BROKEN_PIPE,
        NetException.Reason.CLOSED,
        NetException.Reason.NOT_FOUND)));
  }

  @Test
  @SuppressWarnings("try") // the accepted end stays open, unused: nobody will ever write
  void aReadNobodyCanEndIsReportedAsDeadlockNotAHang() {
    LabRun<Integer> run = LabRuntime.run(3, cx -> {
      try (TcpListener l = TcpListener.bind(cx, ANY_PORT);
          TcpStream c = TcpStream.connect(cx, l.localAddress());
          TcpStream s = l.accept(cx)) {
        return c.read(cx, ByteBuffer.allocate(1));
      }
    });
    assertThat(run.violated(Oracle.DEADLOCK)).as(run.report()).isTrue();
    assertThat(run.outcome()).isInstanceOf(Outcome.Cancelled.class);
  }
}
