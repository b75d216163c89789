package io.asupersync.fuzz.attack;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A raw WebSocket client on a plain socket: writes whatever frames a test builds and reads frames back uninterpreted. */
final class WsPeer implements AutoCloseable {

  static final int CONTINUATION = 0x0, TEXT = 0x1, BINARY = 0x2, CLOSE = 0x8, PING = 0x9;
  static final int FIN = 0x80, RSV1 = 0x40;

  private static final byte[] MASK = {0x5a, (byte) 0xa5, 0x3c, (byte) 0xc3};

  /** A frame as read: its first byte and its payload. */
  record Frame(int firstByte, byte[] payload) {
    int opcode() {
      return firstByte & 0x0f;
    }

    /** The close code, or 1005 when the close frame has none. */
    int closeCode() {
      return payload.length < 2 ? 1005 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  /** Upgrades a fresh connection to {@code path}, with {@code extraHeaders} (each line ending in CRLF). */
  WsPeer(Socket socket, String path, String extraHeaders) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
    write(("GET " + path + " HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("closed during the handshake: " + head);
      }
      head.write(b);
    }
    String answer = head.toString(StandardCharsets.ISO_8859_1);
    if (!answer.startsWith("HTTP/1.1 101")) {
      throw new IOException("upgrade refused: " + answer);
    }
    if (extraHeaders.contains("permessage-deflate") && !answer.toLowerCase(Locale.ROOT).contains("permessage-deflate")) {
      throw new IOException("permessage-deflate not accepted: " + answer);
    }
  }

  /** A frame with {@code firstByte} (FIN, RSV, opcode) and {@code payload}, masked as a client must unless {@code masked} is false. */
  static byte[] frame(int firstByte, byte[] payload, boolean masked) {
    ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
    f.write(firstByte);
    header(f, payload.length, masked);
    for (int i = 0; i < payload.length; i++) {
      f.write(masked ? payload[i] ^ MASK[i & 3] : payload[i]);
    }
    return f.toByteArray();
  }

  /** Only the header (and mask) of a masked frame announcing {@code length} payload bytes. */
  static byte[] header(int firstByte, long length) {
    ByteArrayOutputStream f = new ByteArrayOutputStream(14);
    f.write(firstByte);
    header(f, length, true);
    return f.toByteArray();
  }

  private static void header(ByteArrayOutputStream f, long length, boolean masked) {
    int maskBit = masked ? 0x80 : 0;
    if (length <= 125) {
      f.write(maskBit | (int) length);
    } else if (length <= 0xffff) {
      f.write(maskBit | 126);
      f.write((int) (length >> 8));
      f.write((int) length);
    } else {
      f.write(maskBit | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        f.write((int) (length >> shift));
      }
    }
    if (masked) {
      f.writeBytes(MASK);
    }
  }

  void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Every frame until the server ends the connection (or 10 s of silence). */
  List<Frame> readUntilEof() throws IOException {
    List<Frame> frames = new ArrayList<>();
    try {
      for (int b0; (b0 = in.read()) >= 0; ) {
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7f;
        if (length == 126) {
          length = in.readUnsignedShort();
        } else if (length == 127) {
          length = in.readLong();
        }
        if ((b1 & 0x80) != 0 || length > 1 << 20) {
          throw new IOException("not a frame a server should send: masked or " + length + " bytes");
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        frames.add(new Frame(b0, payload));
      }
    } catch (SocketTimeoutException | SocketException e) {
      // silence, or a reset after the close frame: what arrived is the answer
    }
    return frames;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
