package io.asupersync.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A real {@code nats-server} with JetStream on 127.0.0.1 and an ephemeral port, its store in a
 * temporary directory, extra configuration appended to a generated config file; stopped and deleted by
 * {@link #close()}. {@link #kill()} and {@link #restart()} keep the port, so a client can reconnect to
 * it. A test that starts one is skipped (with the reason) when the binary is not installed.
 */
public final class NatsServerProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("Listening for client connections on [^:]+:(\\d+)");

  private final Path binary;
  private final Path dir;
  private final String extraConfig;
  private int port = -1;
  private @Nullable Process process;
  private int starts;

  private NatsServerProcess(Path binary, Path dir, String extraConfig) {
    this.binary = binary;
    this.dir = dir;
    this.extraConfig = extraConfig;
  }

  /** Whether nats-server is installed. */
  public static boolean isInstalled() {
    return ServerBinary.find("nats-server") != null;
  }

  /** Skips the calling test (with the reason) when nats-server is not installed. */
  public static void assumeInstalled() {
    ServerBinary.require("nats-server");
  }

  /** Starts a plaintext server. */
  public static NatsServerProcess start() throws IOException {
    return start("");
  }

  /** Starts a plaintext server with {@code extraConfig} (nats-server config syntax). */
  public static NatsServerProcess start(String extraConfig) throws IOException {
    NatsServerProcess server = new NatsServerProcess(
        ServerBinary.require("nats-server"), Files.createTempDirectory("asupersync-nats"), extraConfig);
    server.launch();
    return server;
  }

  /**
   * Starts a server that requires TLS (announced in its INFO as {@code tls_required}) with the
   * certificate of {@code certificates}, not asking clients for certificates.
   */
  public static NatsServerProcess startTls(TestCertificates certificates, String extraConfig) throws IOException {
    return start(tlsBlock(certificates, "") + extraConfig);
  }

  /**
   * Starts a TLS server like {@link #startTls} that also requires every client to present a certificate
   * issued by the CA of {@code certificates} ({@code verify: true}).
   */
  public static NatsServerProcess startMtls(TestCertificates certificates, String extraConfig) throws IOException {
    return start(tlsBlock(certificates, "  ca_file: \"" + certificates.caPem() + "\"\n  verify: true\n") + extraConfig);
  }

  private static String tlsBlock(TestCertificates certificates, String more) {
    return "tls {\n  cert_file: \"" + certificates.serverChainPem() + "\"\n  key_file: \""
        + certificates.serverKeyPem() + "\"\n  timeout: 5\n" + more + "}\n";
  }

  public int port() {
    return port;
  }

  /** {@code nats://127.0.0.1:port}. */
  public String url() {
    return "nats://127.0.0.1:" + port;
  }

  public Path dir() {
    return dir;
  }

  /** Kills the process (SIGKILL) and waits for it to exit. */
  public void kill() throws InterruptedException {
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      process = null;
    }
  }

  /** Starts the server again on the same port and store. */
  public void restart() throws IOException {
    killQuietly();
    launch();
  }

  private void launch() throws IOException {
    starts++;
    Path log = dir.resolve("server-" + starts + ".log");
    Path config = dir.resolve("server.conf");
    Files.writeString(config, "host: 127.0.0.1\nport: " + port + "\n"
        + "jetstream { store_dir: \"" + dir.resolve("store") + "\" }\n" + extraConfig + "\n");
    Process p = new ProcessBuilder(binary.toString(), "-c", config.toString(), "-l", log.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("stdout-" + starts + ".txt").toFile())
        .start();
    process = p;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      String text = ServerBinary.read(log);
      Matcher m = LISTENING.matcher(text);
      if (m.find() && text.contains("Server is ready")) {
        port = Integer.parseInt(m.group(1));
        return;
      }
      if (!p.isAlive()) {
        throw new IllegalStateException("nats-server exited:\n" + text + ServerBinary.read(dir.resolve("stdout-" + starts + ".txt")));
      }
      try {
        Thread.sleep(10); // polling the log of a process we started for its ready line
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("nats-server did not become ready within 20 s");
  }

  private void killQuietly() {
    try {
      kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    killQuietly();
    ServerBinary.deleteTree(dir);
  }
}
