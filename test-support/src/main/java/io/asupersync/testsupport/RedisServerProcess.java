package io.asupersync.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} on 127.0.0.1 and an ephemeral port, without persistence, in a temporary
 * directory, stopped and deleted by {@link #close()}. A test that starts one is skipped (with the reason)
 * when the binary is not installed, and a TLS test also when this build of it has no TLS.
 */
public final class RedisServerProcess implements AutoCloseable {
  private final int port;
  private final Process process;
  private final Path dir;

  private RedisServerProcess(int port, Process process, Path dir) {
    this.port = port;
    this.process = process;
    this.dir = dir;
  }

  /** Starts a plaintext server with {@code extraArgs} appended (e.g. {@code --requirepass x}). */
  public static RedisServerProcess start(String... extraArgs) throws IOException {
    return launch(null, false, extraArgs);
  }

  /**
   * Starts a server that serves TLS only ({@code --port 0 --tls-port P}) with the certificate of
   * {@code certificates}, not asking clients for certificates.
   */
  public static RedisServerProcess startTls(TestCertificates certificates, String... extraArgs) throws IOException {
    return launch(certificates, false, extraArgs);
  }

  /**
   * Starts a TLS-only server like {@link #startTls} that also requires every client to present a
   * certificate issued by the CA of {@code certificates} ({@code --tls-auth-clients yes}).
   */
  public static RedisServerProcess startMtls(TestCertificates certificates, String... extraArgs) throws IOException {
    return launch(certificates, true, extraArgs);
  }

  private static RedisServerProcess launch(@Nullable TestCertificates tls, boolean clientCertificates, String... extraArgs)
      throws IOException {
    Path binary = ServerBinary.require("redis-server");
    Path dir = Files.createTempDirectory("asupersync-redis");
    Path log = dir.resolve("redis.log");
    for (int attempt = 0; ; attempt++) {
      int port = Ports.unused();
      List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--bind", "127.0.0.1", "--save", "",
          "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no", "--loglevel", "warning"));
      if (tls == null) {
        cmd.addAll(List.of("--port", Integer.toString(port)));
      } else {
        cmd.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port),
            "--tls-cert-file", tls.serverChainPem().toString(),
            "--tls-key-file", tls.serverKeyPem().toString(),
            "--tls-ca-cert-file", tls.caPem().toString(),
            "--tls-auth-clients", clientCertificates ? "yes" : "no"));
      }
      cmd.addAll(List.of(extraArgs));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (tls == null ? awaitPing(p, port) : awaitListening(p, port)) {
        return new RedisServerProcess(port, p, dir);
      }
      stop(p);
      String output = ServerBinary.read(log);
      // A build without TLS refuses the tls-* directives at startup ("Bad directive ... tls-port").
      if (tls != null && output.contains("Bad directive") && output.contains("tls-")) {
        ServerBinary.deleteTree(dir);
        Assumptions.abort("this redis-server has no TLS support: " + output.strip());
      }
      if (attempt == 3) {
        ServerBinary.deleteTree(dir);
        throw new IllegalStateException("redis-server did not start: " + output);
      }
    }
  }

  /** Ready when it answers PING (or NOAUTH, when a password is required). */
  private static boolean awaitPing(Process p, int port) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline && p.isAlive()) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        s.setSoTimeout(2000);
        OutputStream out = s.getOutputStream();
        out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        byte[] reply = in.readNBytes(5);
        if (reply.length > 0 && (reply[0] == '+' || reply[0] == '-')) {
          return true;
        }
      } catch (IOException notYet) {
        pause();
      }
    }
    return false;
  }

  /** Ready (for a TLS port, which cannot be PINGed in plaintext) when it accepts a connection. */
  private static boolean awaitListening(Process p, int port) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline && p.isAlive()) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return p.isAlive();
      } catch (IOException notYet) {
        pause();
      }
    }
    return false;
  }

  private static void pause() {
    try {
      Thread.sleep(20); // polling a process we started, not waiting for a condition under test
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void stop(Process p) {
    p.destroy();
    try {
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The port it serves on (the TLS port for {@link #startTls}). */
  public int port() {
    return port;
  }

  @Override
  public void close() {
    stop(process);
    ServerBinary.deleteTree(dir);
  }
}
