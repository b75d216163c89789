package io.asupersync.spring.boot.autoconfigure.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** A real redis-server or nats-server on 127.0.0.1 and a free port; the test is skipped when it is not installed. */
final class ServerProcess implements AutoCloseable {

  private final Process process;
  final int port;

  private ServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static ServerProcess start(String binary, String... args) throws Exception {
    Path path = List.of("/usr/bin/", "/usr/sbin/", "/usr/local/bin/").stream()
        .map(dir -> Path.of(dir + binary)).filter(Files::isExecutable).findFirst().orElse(null);
    Assumptions.assumeTrue(path != null, binary + " is not installed");
    int port = freePort();
    List<String> command = new ArrayList<>(List.of(path.toString()));
    for (String arg : args) {
      command.add(arg.replace("{port}", Integer.toString(port)));
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return new ServerProcess(process, port);
      } catch (IOException notYet) {
        assertThat(process.isAlive()).as(binary + " exited").isTrue();
        assertThat(System.nanoTime()).as(binary + " listening within 10 s").isLessThan(deadline);
        Thread.onSpinWait();
      }
    }
  }

  /** A port nothing listens on (just released). */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
