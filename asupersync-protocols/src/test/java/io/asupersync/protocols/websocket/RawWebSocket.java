package io.asupersync.protocols.websocket;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A hand-driven WebSocket peer over a plain socket: it writes whatever bytes a test crafts and reads
 * frames back without interpreting them, so tests can assert exactly what the other side put on the wire.
 */
final class RawWebSocket implements AutoCloseable {

  static final int CONTINUATION = 0x0;
  static final int TEXT = 0x1;
  static final int BINARY = 0x2;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;
  static final int FIN = 0x80;
  static final int RSV1 = 0x40;

  private static final byte[] MASK = {0x11, 0x22, 0x33, 0x44};

  /** A frame as read: first byte, payload (unmasked if it was masked). */
  record Frame(int firstByte, byte[] payload) {
    int opcode() {
      return firstByte & 0x0F;
    }

    boolean fin() {
      return (firstByte & 0x80) != 0;
    }

    int closeCode() {
      return payload.length < 2 ? CloseStatus.NO_STATUS : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    }

    String text() {
      return new String(payload, payload.length >= 2 && opcode() == CLOSE ? 2 : 0,
          opcode() == CLOSE ? Math.max(0, payload.length - 2) : payload.length, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  final String responseHead;

  private RawWebSocket(Socket socket, String responseHead, DataInputStream in) throws IOException {
    this.socket = socket;
    this.in = in;
    this.out = socket.getOutputStream();
    this.responseHead = responseHead;
  }

  /** Connects and upgrades with the given extra header lines (each ending in CRLF). */
  static RawWebSocket connect(int port, String path, String extraHeaders) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + extraHeaders + "\r\n";
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    DataInputStream in = new DataInputStream(socket.getInputStream());
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("closed during handshake: " + head);
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    if (!text.startsWith("HTTP/1.1 101")) {
      socket.close();
      throw new IOException("upgrade refused: " + text);
    }
    return new RawWebSocket(socket, text, in);
  }

  static RawWebSocket connect(int port, String path) throws IOException {
    return connect(port, path, "");
  }

  /** A frame with the given first byte; masked with a fixed key when {@code masked}. */
  static byte[] frame(int firstByte, byte[] payload, boolean masked) {
    ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
    f.write(firstByte);
    int maskBit = masked ? 0x80 : 0;
    if (payload.length <= 125) {
      f.write(maskBit | payload.length);
    } else if (payload.length <= 0xFFFF) {
      f.write(maskBit | 126);
      f.write(payload.length >> 8);
      f.write(payload.length);
    } else {
      f.write(maskBit | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        f.write((int) ((long) payload.length >> shift));
      }
    }
    if (masked) {
      f.writeBytes(MASK);
    }
    for (int i = 0; i < payload.length; i++) {
      f.write(masked ? payload[i] ^ MASK[i & 3] : payload[i]);
    }
    return f.toByteArray();
  }

  static byte[] closePayload(int code, String reason) {
    byte[] r = reason.getBytes(StandardCharsets.UTF_8);
    byte[] p = new byte[2 + r.length];
    p[0] = (byte) (code >> 8);
    p[1] = (byte) code;
    System.arraycopy(r, 0, p, 2, r.length);
    return p;
  }

  void send(int firstByte, byte[] payload) throws IOException {
    write(frame(firstByte, payload, true));
  }

  void sendText(String text) throws IOException {
    send(FIN | TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** The next frame, or null at EOF (a reset after the close frame also counts as the end). */
  @Nullable Frame readFrame() throws IOException {
    int b0;
    try {
      b0 = in.read();
    } catch (SocketException reset) {
      return null;
    }
    if (b0 < 0) {
      return null;
    }
    int b1 = in.readUnsignedByte();
    long length = b1 & 0x7F;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    byte[] mask = null;
    if ((b1 & 0x80) != 0) {
      mask = new byte[4];
      in.readFully(mask);
    }
    if (length > 64 * 1024 * 1024) {
      throw new IOException("frame too large for a test: " + length);
    }
    byte[] payload = new byte[(int) length];
    in.readFully(payload);
    if (mask != null) {
      for (int i = 0; i < payload.length; i++) {
        payload[i] ^= mask[i & 3];
      }
    }
    return new Frame(b0, payload);
  }

  /** Every frame until the peer closes the TCP connection. */
  List<Frame> readUntilEof() throws IOException {
    List<Frame> frames = new ArrayList<>();
    for (Frame f; (f = readFrame()) != null; ) {
      frames.add(f);
    }
    return frames;
  }

  /** Reads frames, answering nothing, until a close frame; returns it. */
  Frame readUntilClose() throws IOException {
    for (Frame f; (f = readFrame()) != null; ) {
      if (f.opcode() == CLOSE) {
        return f;
      }
    }
    throw new EOFException("connection ended without a close frame");
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
