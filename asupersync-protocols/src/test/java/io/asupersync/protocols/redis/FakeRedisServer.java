package io.asupersync.protocols.redis;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A scripted RESP server on loopback for hostile-server tests: it answers the handshake (CLIENT ID,
 * PING) like Redis and every other command with whatever the script says, whole or one byte per write.
 */
final class FakeRedisServer implements AutoCloseable {

  /** What to send back for one command; null sends nothing. */
  record Reply(byte[] bytes, boolean byteByByte) {
    static Reply of(String s) {
      return new Reply(s.getBytes(StandardCharsets.UTF_8), false);
    }

    static Reply dribbled(String s) {
      return new Reply(s.getBytes(StandardCharsets.UTF_8), true);
    }
  }

  private final ServerSocket server;
  private final Function<List<String>, @Nullable Reply> script;
  final AtomicInteger connections = new AtomicInteger();
  final ConcurrentLinkedQueue<String> commands = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Socket> sockets = new ConcurrentLinkedQueue<>();

  FakeRedisServer(Function<List<String>, @Nullable Reply> script) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.script = script;
    Thread.ofPlatform().daemon().name("fake-redis-accept").start(this::acceptLoop);
  }

  int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        sockets.add(s);
        int n = connections.incrementAndGet();
        Thread.ofPlatform().daemon().name("fake-redis-" + n).start(() -> serve(s, n));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s, int connection) {
    try (s) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      while (true) {
        List<String> cmd = readCommand(in);
        if (cmd == null) {
          return;
        }
        String name = cmd.get(0).toUpperCase(java.util.Locale.ROOT);
        commands.add(name);
        Reply reply = switch (name) {
          case "CLIENT" -> Reply.of(":" + connection + "\r\n");
          case "PING" -> Reply.of("+PONG\r\n");
          default -> script.apply(cmd);
        };
        if (reply == null) {
          continue;
        }
        if (reply.byteByByte()) {
          for (byte b : reply.bytes()) {
            out.write(b);
            out.flush();
          }
        } else {
          out.write(reply.bytes());
          out.flush();
        }
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  private static @Nullable List<String> readCommand(InputStream in) throws IOException {
    String header = readLine(in);
    if (header == null) {
      return null;
    }
    int n = Integer.parseInt(header.substring(1));
    List<String> args = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String len = readLine(in);
      if (len == null) {
        return null;
      }
      byte[] data = in.readNBytes(Integer.parseInt(len.substring(1)) + 2);
      args.add(new String(data, 0, data.length - 2, StandardCharsets.UTF_8));
    }
    return args;
  }

  private static @Nullable String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        return sb.substring(0, sb.length() - 1);
      }
      sb.append((char) c);
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
