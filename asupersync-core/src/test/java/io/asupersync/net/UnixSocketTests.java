package io.asupersync.net;

import io.asupersync.testutil.Tasks;
import static io.asupersync.testutil.Tasks.assertCancelled;
import static io.asupersync.testutil.Tasks.call;
import static io.asupersync.testutil.Tasks.error;
import static io.asupersync.testutil.Tasks.outcome;
import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Outcome;
import io.asupersync.Runtime;
import io.asupersync.TaskHandle;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixSocketTests {
  private final Runtime rt = Runtime.builder().build();

  @TempDir Path dir;

  @AfterEach
  void close() {
    assertThat(rt.shutdown().quiescent()).isTrue();
  }

  private List<String> entries() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void assertReason(Outcome<?> o, NetException.Reason reason) {
    assertThat(error(o)).isInstanceOfSatisfying(NetException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  @Test
  void socketFileIsOwnerOnlyAndRemovedOnClose() throws Exception {
    Path sock = dir.resolve("app.sock");
    try (UnixListener l = call(rt, cx -> UnixListener.bind(cx, sock))) {
      assertThat(UnixSockets.isSocket(sock)).isTrue();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock))).isEqualTo("rw-------");
      assertThat(entries()).containsExactly("app.sock"); // no staging directory left behind
      try (UnixStream c = call(rt, cx -> UnixStream.connect(cx, sock));
          UnixStream s = call(rt, cx -> l.accept(cx))) {
        String got = call(rt, cx -> {
          c.write(cx, ByteBuffer.wrap("over unix".getBytes(StandardCharsets.US_ASCII)));
          ByteBuffer buf = ByteBuffer.allocate(9);
          s.readFully(cx, buf);
          return new String(buf.array(), StandardCharsets.US_ASCII);
        });
        assertThat(got).isEqualTo("over unix");
      }
    }
    assertThat(entries()).isEmpty();
  }

  @Test
  @SuppressWarnings("try") // the client end only has to exist for the accept
  void staleSocketFileIsReplaced() throws Exception {
    Path sock = dir.resolve("stale.sock");
    try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      crashed.bind(UnixDomainSocketAddress.of(sock)); // closing leaves the file: a stale socket
    }
    assertThat(Files.exists(sock)).isTrue();
    assertReason(rt.run(cx -> UnixStream.connect(cx, sock)), NetException.Reason.CONNECTION_REFUSED);

    try (UnixListener l = call(rt, cx -> UnixListener.bind(cx, sock));
        UnixStream c = call(rt, cx -> UnixStream.connect(cx, sock));
        UnixStream s = call(rt, cx -> l.accept(cx))) {
      assertThat(s.isOpen()).isTrue();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock))).isEqualTo("rw-------");
    }
  }

  @Test
  @SuppressWarnings("try") // connections only have to exist for the accepts
  void liveSocketIsNotTakenOver() throws Exception {
    Path sock = dir.resolve("live.sock");
    try (UnixListener first = call(rt, cx -> UnixListener.bind(cx, sock))) {
      assertReason(rt.run(cx -> UnixListener.bind(cx, sock)), NetException.Reason.ADDRESS_IN_USE);
      try (UnixStream probe = call(rt, cx -> first.accept(cx)); // the liveness probe's connection
          UnixStream c = call(rt, cx -> UnixStream.connect(cx, sock));
          UnixStream s = call(rt, cx -> first.accept(cx))) {
        assertThat(s.isOpen()).isTrue();
      }
    }
  }

  @Test
  void fileThatIsNotASocketIsLeftAlone() throws Exception {
    Path path = dir.resolve("precious.txt");
    Files.writeString(path, "keep me");
    assertReason(rt.run(cx -> UnixListener.bind(cx, path)), NetException.Reason.ADDRESS_IN_USE);
    assertThat(Files.readString(path)).isEqualTo("keep me");

    Path link = dir.resolve("link.sock");
    Files.createSymbolicLink(link, path);
    assertReason(rt.run(cx -> UnixListener.bind(cx, link)), NetException.Reason.ADDRESS_IN_USE);
    assertThat(Files.isSymbolicLink(link)).isTrue();
  }

  @Test
  void connectingToAMissingSocketIsNotFound() {
    assertReason(rt.run(cx -> UnixStream.connect(cx, dir.resolve("nobody.sock"))), NetException.Reason.NOT_FOUND);
  }

  @Test
  void cancelWakesABlockedReadAndTheStreamStaysUsable() throws Exception {
    Path sock = dir.resolve("c.sock");
    try (UnixListener l = call(rt, cx -> UnixListener.bind(cx, sock));
        UnixStream c = call(rt, cx -> UnixStream.connect(cx, sock));
        UnixStream s = call(rt, cx -> l.accept(cx))) {
      ByteBuffer buf = ByteBuffer.allocate(4);
      AtomicReference<Thread> thread = new AtomicReference<>();
      TaskHandle<Outcome<Integer>> reader = rt.spawn("reader", cx -> {
        thread.set(Thread.currentThread());
        return c.read(cx, buf);
      });
      Tasks.awaitParked(thread);
      Tasks.cancel(reader);
      assertCancelled(outcome(reader));
      int n = call(rt, cx -> {
        s.write(cx, ByteBuffer.wrap(new byte[] {1, 2, 3, 4}));
        c.readFully(cx, buf);
        return buf.position();
      });
      assertThat(n).isEqualTo(4);
    }
  }
}
