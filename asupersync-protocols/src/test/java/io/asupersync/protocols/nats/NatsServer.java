package io.asupersync.protocols.nats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code nats-server -js} for the tests: 127.0.0.1, an ephemeral port, a temporary store
 * directory, extra configuration appended to a generated config file. {@link #kill()} and {@link
 * #restart()} keep the port, so a client can reconnect to it.
 */
final class NatsServer implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("Listening for client connections on [^:]+:(\\d+)");

  private final Path dir;
  private final String extraConfig;
  private int port = -1;
  private @Nullable Process process;
  private int starts;

  private NatsServer(Path dir, String extraConfig) {
    this.dir = dir;
    this.extraConfig = extraConfig;
  }

  /** The binary, or null when nats-server is not installed. */
  static @Nullable Path binary() {
    for (String candidate : new String[] {"/usr/bin/nats-server", "/usr/local/bin/nats-server", "/usr/sbin/nats-server"}) {
      if (Files.isExecutable(Path.of(candidate))) {
        return Path.of(candidate);
      }
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String entry : path.split(":")) {
        Path p = Path.of(entry, "nats-server");
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    }
    return null;
  }

  /** Skips the calling test (with the reason) when nats-server is not installed. */
  static void assumeInstalled() {
    Assumptions.assumeTrue(binary() != null,
        "nats-server is not installed (Debian package nats-server; .ci/run installs it): skipping tests against a real server");
  }

  /** Starts a server with JetStream and {@code extraConfig} (nats-server config syntax). */
  static NatsServer start(String extraConfig) throws IOException {
    assumeInstalled();
    NatsServer server = new NatsServer(Files.createTempDirectory("nats-test"), extraConfig);
    server.launch();
    return server;
  }

  int port() {
    return port;
  }

  String url() {
    return "nats://127.0.0.1:" + port;
  }

  Path dir() {
    return dir;
  }

  /** Kills the process (SIGKILL) and waits for it to exit. */
  void kill() throws InterruptedException {
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      process = null;
    }
  }

  /** Starts the server again on the same port and store. */
  void restart() throws IOException {
    kill0();
    launch();
  }

  private void launch() throws IOException {
    starts++;
    Path log = dir.resolve("server-" + starts + ".log");
    Path config = dir.resolve("server.conf");
    Files.writeString(config, "host: 127.0.0.1\nport: " + port + "\n"
        + "jetstream { store_dir: \"" + dir.resolve("store") + "\" }\n" + extraConfig + "\n");
    Path bin = binary();
    if (bin == null) {
      throw new IllegalStateException("nats-server is not installed");
    }
    process = new ProcessBuilder(bin.toString(), "-c", config.toString(), "-l", log.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("stdout-" + starts + ".txt").toFile())
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
      Matcher m = LISTENING.matcher(text);
      if (m.find() && text.contains("Server is ready")) {
        port = Integer.parseInt(m.group(1));
        return;
      }
      Process p = process;
      if (p == null || !p.isAlive()) {
        throw new IllegalStateException("nats-server exited:\n" + text);
      }
      try {
        Thread.sleep(10); // polling the log for the ready line
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("nats-server did not become ready within 20 s");
  }

  private void kill0() {
    try {
      kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    kill0();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
