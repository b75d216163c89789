package io.asupersync.protocols.redis;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real Debian {@code redis-server} on 127.0.0.1 and an ephemeral port, with no persistence, in a
 * temporary directory. Tests that need it are skipped (with the reason) only when the binary is absent.
 */
final class RedisServerProcess implements AutoCloseable {

  static final Path BINARY = Path.of("/usr/bin/redis-server");

  final int port;
  private final Process process;
  private final Path dir;

  private RedisServerProcess(int port, Process process, Path dir) {
    this.port = port;
    this.process = process;
    this.dir = dir;
  }

  /** Starts a server with {@code extraArgs} appended to the command line (e.g. {@code --requirepass x}). */
  static RedisServerProcess start(String... extraArgs) throws Exception {
    assumeTrue(Files.isExecutable(BINARY),
        "redis-server is not installed at " + BINARY + " (apt-get install redis-server; .ci/run installs it)");
    Path dir = Files.createTempDirectory("asupersync-redis");
    for (int attempt = 0; ; attempt++) {
      int port = freePort();
      List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no", "--loglevel", "warning"));
      cmd.addAll(List.of(extraArgs));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
      if (awaitReady(p, port)) {
        return new RedisServerProcess(port, p, dir);
      }
      p.destroyForcibly().waitFor();
      if (attempt == 3) {
        throw new IllegalStateException("redis-server did not start: " + Files.readString(dir.resolve("redis.log")));
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static boolean awaitReady(Process p, int port) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline && p.isAlive()) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        s.setSoTimeout(2000);
        OutputStream out = s.getOutputStream();
        out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        byte[] reply = in.readNBytes(5);
        // +PONG, or -NOAUTH when a password is required: either way the server is serving.
        if (reply.length > 0 && (reply[0] == '+' || reply[0] == '-')) {
          return true;
        }
      } catch (IOException e) {
        Thread.onSpinWait();
      }
      Thread.sleep(20); // polling a process we started, not waiting for a condition under test
    }
    return false;
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
