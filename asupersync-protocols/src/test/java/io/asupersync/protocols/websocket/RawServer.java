package io.asupersync.protocols.websocket;

import io.asupersync.protocols.websocket.internal.Handshake;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A hand-driven WebSocket server for client tests: accepts one connection, answers the upgrade with a
 * correct 101 (plus any extra header lines), then lets the test write raw bytes and read frames.
 */
final class RawServer implements AutoCloseable {

  private final ServerSocket listener;
  private @Nullable Socket socket;
  private @Nullable DataInputStream in;
  private @Nullable OutputStream out;

  RawServer() throws IOException {
    listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    listener.setSoTimeout(10_000);
  }

  int port() {
    return listener.getLocalPort();
  }

  /** The mask keys of the client frames read so far. */
  final List<Integer> masks = new ArrayList<>();

  /** Accepts the client, reads its upgrade request and answers 101; returns the request head. */
  String accept(String extraHeaders) throws IOException {
    return accept(key -> "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: " + Handshake.acceptKey(key) + "\r\n" + extraHeaders + "\r\n");
  }

  /** Accepts the client, reads its upgrade request and answers what {@code response} makes of its key. */
  String accept(Function<String, String> response) throws IOException {
    Socket s = listener.accept();
    s.setSoTimeout(10_000);
    socket = s;
    DataInputStream input = new DataInputStream(s.getInputStream());
    in = input;
    out = s.getOutputStream();
    String head = readHead(input);
    String key = null;
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:")) {
        key = line.substring(line.indexOf(':') + 1).trim();
      }
    }
    if (key == null) {
      throw new IOException("no key in " + head);
    }
    write(response.apply(key).getBytes(StandardCharsets.US_ASCII));
    return head;
  }

  /** Accepts the client and reads its request without answering. */
  void acceptSilently() throws IOException {
    Socket s = listener.accept();
    socket = s;
    readHead(new DataInputStream(s.getInputStream()));
  }

  private static String readHead(DataInputStream input) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = input.read();
      if (b < 0) {
        throw new EOFException("closed during handshake");
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  void write(byte[] bytes) throws IOException {
    OutputStream o = out;
    if (o == null) {
      throw new IllegalStateException("not accepted");
    }
    o.write(bytes);
    o.flush();
  }

  /** Frames from the client until it closes the TCP connection, unmasked; fails on an unmasked one. */
  List<RawWebSocket.Frame> readUntilEof() throws IOException {
    return read(Integer.MAX_VALUE);
  }

  /** The next frame from the client. */
  RawWebSocket.Frame readFrame() throws IOException {
    List<RawWebSocket.Frame> frames = read(1);
    if (frames.isEmpty()) {
      throw new EOFException("client closed the connection");
    }
    return frames.get(0);
  }

  private List<RawWebSocket.Frame> read(int most) throws IOException {
    List<RawWebSocket.Frame> frames = new ArrayList<>();
    DataInputStream input = in;
    if (input == null) {
      throw new IllegalStateException("not accepted");
    }
    while (frames.size() < most) {
      int b0;
      try {
        b0 = input.read();
      } catch (java.net.SocketException reset) {
        return frames;
      }
      if (b0 < 0) {
        return frames;
      }
      int b1 = input.readUnsignedByte();
      long length = b1 & 0x7F;
      if (length == 126) {
        length = input.readUnsignedShort();
      } else if (length == 127) {
        length = input.readLong();
      }
      byte[] mask = new byte[4];
      boolean masked = (b1 & 0x80) != 0;
      if (masked) {
        input.readFully(mask);
      }
      byte[] payload = new byte[(int) length];
      input.readFully(payload);
      for (int i = 0; masked && i < payload.length; i++) {
        payload[i] ^= mask[i & 3];
      }
      if (!masked) {
        throw new AssertionError("client sent an unmasked frame");
      }
      masks.add(((mask[0] & 0xFF) << 24) | ((mask[1] & 0xFF) << 16) | ((mask[2] & 0xFF) << 8) | (mask[3] & 0xFF));
      frames.add(new RawWebSocket.Frame(b0, payload));
    }
    return frames;
  }

  @Override
  public void close() throws IOException {
    Socket s = socket;
    if (s != null) {
      s.close();
    }
    listener.close();
  }
}
