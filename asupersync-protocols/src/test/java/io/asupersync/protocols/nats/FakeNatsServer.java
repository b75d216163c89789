package io.asupersync.protocols.nats;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A scripted NATS server on loopback for hostile-server tests: it accepts connections, does the
 * handshake (INFO, reads CONNECT and PING, answers PONG), and hands each connection to the test,
 * which then reads what the client sends and writes whatever bytes it likes.
 */
final class FakeNatsServer implements AutoCloseable {

  static final String INFO = "INFO {\"server_id\":\"fake\",\"version\":\"2.9.0\",\"proto\":1,\"headers\":true,\"max_payload\":1048576}\r\n";

  private final ServerSocket socket;
  private final LinkedBlockingQueue<Conn> accepted = new LinkedBlockingQueue<>();
  private final Thread acceptor;

  FakeNatsServer() throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = Thread.ofPlatform().daemon().name("fake-nats-acceptor").start(this::acceptLoop);
  }

  int port() {
    return socket.getLocalPort();
  }

  String url() {
    return "nats://127.0.0.1:" + port();
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        s.setTcpNoDelay(true);
        s.setSoTimeout((int) Poll.TIMEOUT.toMillis());
        Conn c = new Conn(s);
        c.handshake();
        accepted.add(c);
      } catch (IOException e) {
        // closed, or a client that went away during the handshake
      }
    }
  }

  /** The next connection that finished its handshake. */
  Conn next() throws InterruptedException {
    Conn c = accepted.poll(Poll.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    if (c == null) {
      throw new AssertionError("no client connected within " + Poll.TIMEOUT);
    }
    return c;
  }

  @Override
  public void close() throws IOException {
    socket.close();
    acceptor.interrupt();
    for (Conn c; (c = accepted.poll()) != null; ) {
      c.close();
    }
  }

  /** A PUB (or HPUB) the client sent. */
  record Pub(String subject, @Nullable String reply, byte[] payload) {}

  /** One accepted connection, after the handshake. */
  static final class Conn implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Map<String, Long> subs = new HashMap<>();

    Conn(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new BufferedInputStream(socket.getInputStream());
      this.out = socket.getOutputStream();
    }

    void handshake() throws IOException {
      send(INFO);
      String connect = readLine();
      if (!connect.startsWith("CONNECT ")) {
        throw new IOException("expected CONNECT, got " + connect);
      }
      if (!readLine().equals("PING")) {
        throw new IOException("expected PING");
      }
      send("PONG\r\n");
    }

    /** Reads client operations (answering PINGs, noting SUBs) until a PUB or HPUB arrives. */
    Pub awaitPub() throws IOException {
      while (true) {
        String line = readLine();
        String[] f = line.split(" +");
        switch (f[0]) {
          case "PING" -> send("PONG\r\n");
          case "SUB" -> subs.put(f[1], Long.parseLong(f[f.length - 1]));
          case "PUB", "HPUB" -> {
            int size = Integer.parseInt(f[f.length - 1]);
            int fields = f[0].equals("PUB") ? 3 : 4;
            String reply = f.length > fields ? f[2] : null;
            byte[] payload = in.readNBytes(size);
            readLine(); // CRLF after the payload
            return new Pub(f[1], reply, payload);
          }
          default -> {}
        }
      }
    }

    /** The sid the client subscribed its request inbox with. */
    long inboxSid() {
      return subs.entrySet().stream().filter(e -> e.getKey().startsWith("_INBOX.")).findFirst()
          .orElseThrow(() -> new AssertionError("no inbox subscription")).getValue();
    }

    /** The bytes of a MSG answering {@code request}. */
    byte[] replyTo(Pub request, String data) {
      return ("MSG " + request.reply() + " " + inboxSid() + " " + data.getBytes(UTF_8).length + "\r\n" + data + "\r\n").getBytes(UTF_8);
    }

    void send(String text) throws IOException {
      send(text.getBytes(UTF_8));
    }

    void send(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    /** Writes {@code bytes} one at a time, pausing briefly so that the client reads them one by one. */
    void sendByteByByte(byte[] bytes) throws IOException, InterruptedException {
      for (byte b : bytes) {
        out.write(b);
        out.flush();
        Thread.sleep(1); // pacing the writes, not waiting for an effect
      }
    }

    /** Writes as much as the client accepts, up to {@code total} bytes, stopping when it closes. */
    long flood(byte filler, long total) {
      byte[] chunk = new byte[64 * 1024];
      java.util.Arrays.fill(chunk, filler);
      long sent = 0;
      try {
        while (sent < total) {
          out.write(chunk);
          sent += chunk.length;
        }
        out.flush();
      } catch (IOException closed) {
        // the client dropped the connection: what this test wants
      }
      return sent;
    }

    /** Whether the client closed the connection (reads until end of stream, within the poll timeout). */
    boolean awaitClosedByClient() {
      try {
        byte[] sink = new byte[8192];
        while (in.read(sink) >= 0) {
          // discard whatever the client still sends
        }
        return true;
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return true; // reset by the client
      }
    }

    private String readLine() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      while (true) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("client closed");
        }
        if (b == '\n') {
          byte[] bytes = line.toByteArray();
          int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
          return new String(bytes, 0, n, UTF_8);
        }
        line.write(b);
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
