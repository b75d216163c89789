package io.asupersync.protocols.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * A test-side HTTP/2 client on a raw socket: hand-built frames (HPACK through Netty's encoder) so tests
 * can send exactly the attack they mean, and a frame reader to assert what came back.
 */
final class H2Wire implements AutoCloseable {

  static final int DATA = 0, HEADERS = 1, RST_STREAM = 3, SETTINGS = 4, PING = 6, GOAWAY = 7, WINDOW_UPDATE = 8, CONTINUATION = 9;
  static final int END_STREAM = 0x1, END_HEADERS = 0x4, ACK = 0x1;

  record Frame(int type, int flags, int stream, byte[] payload, Http2Headers headers) {
    boolean has(int flag) {
      return (flags & flag) != 0;
    }

    int errorCode() {
      return type == GOAWAY ? ByteBuffer.wrap(payload).getInt(4) : ByteBuffer.wrap(payload).getInt(0);
    }

    int lastStreamId() {
      return ByteBuffer.wrap(payload).getInt(0) & 0x7fffffff;
    }

    String debug() {
      return new String(payload, 8, payload.length - 8, StandardCharsets.UTF_8);
    }
  }

  final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
  private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false, 1 << 20);
  private final ByteBuf headerBlock = Unpooled.buffer();
  /** Whether PINGs are acknowledged while reading; off when a test must not write to a closing server. */
  boolean autoPingAck = true;
  private long unacknowledgedData;

  private H2Wire(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(5000);
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Connects, sends the preface and empty SETTINGS, and acknowledges the server's SETTINGS. */
  static H2Wire connect(int port) throws IOException {
    return handshake(new Socket("127.0.0.1", port));
  }

  static H2Wire handshake(Socket socket) throws IOException {
    H2Wire w = new H2Wire(socket);
    w.out.write(preface());
    w.frame(SETTINGS, 0, 0, new byte[0]);
    w.ackServerSettings();
    return w;
  }

  /** For a socket that already upgraded (h2c): preface, SETTINGS, ack. */
  static H2Wire afterUpgrade(Socket socket) throws IOException {
    return handshake(socket);
  }

  private static byte[] preface() {
    return "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  }

  void ackServerSettings() throws IOException {
    await(fr -> fr.type == SETTINGS && !fr.has(ACK));
    frame(SETTINGS, ACK, 0, new byte[0]);
  }

  void frame(int type, int flags, int stream, byte[] payload) throws IOException {
    byte[] h = new byte[9 + payload.length];
    h[0] = (byte) (payload.length >>> 16);
    h[1] = (byte) (payload.length >>> 8);
    h[2] = (byte) payload.length;
    h[3] = (byte) type;
    h[4] = (byte) flags;
    ByteBuffer.wrap(h, 5, 4).putInt(stream);
    System.arraycopy(payload, 0, h, 9, payload.length);
    out.write(h);
    out.flush();
  }

  static Http2Headers get(String path) {
    return request("GET", path);
  }

  static Http2Headers request(String method, String path) {
    return new DefaultHttp2Headers().method(method).path(path).scheme("http").authority("localhost");
  }

  byte[] encode(int stream, Http2Headers headers) {
    try {
      headerBlock.clear();
      encoder.encodeHeaders(stream, headers, headerBlock);
      return ByteBufUtil.getBytes(headerBlock);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  void headers(int stream, Http2Headers headers, boolean endStream) throws IOException {
    frame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), stream, encode(stream, headers));
  }

  void data(int stream, byte[] bytes, boolean endStream) throws IOException {
    frame(DATA, endStream ? END_STREAM : 0, stream, bytes);
  }

  void rst(int stream, Http2Error error) throws IOException {
    frame(RST_STREAM, 0, stream, ByteBuffer.allocate(4).putInt((int) error.code()).array());
  }

  void windowUpdate(int stream, int increment) throws IOException {
    frame(WINDOW_UPDATE, 0, stream, ByteBuffer.allocate(4).putInt(increment).array());
  }

  void ping(long payload) throws IOException {
    frame(PING, 0, 0, ByteBuffer.allocate(8).putLong(payload).array());
  }

  Frame read() throws IOException {
    int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
    int type = in.readUnsignedByte();
    int flags = in.readUnsignedByte();
    int stream = in.readInt() & 0x7fffffff;
    byte[] payload = new byte[length];
    in.readFully(payload);
    // every header block goes through the decoder, in order, or its dynamic table goes out of sync
    Http2Headers headers = null;
    if (type == HEADERS && (flags & END_HEADERS) != 0) {
      try {
        headers = decoder.decodeHeaders(stream, Unpooled.wrappedBuffer(payload));
      } catch (Exception e) {
        throw new IOException("undecodable header block", e);
      }
    }
    Frame f = new Frame(type, flags, stream, payload, headers);
    if (System.getenv("H2WIRE_DEBUG") != null) {
      System.err.println(System.currentTimeMillis() % 100000 + " FRAME type=" + type + " flags=" + flags + " stream=" + stream + " len=" + length
          + (type == RST_STREAM || type == GOAWAY ? " error=" + f.errorCode() : "") + (type == GOAWAY ? " last=" + f.lastStreamId() + " debug=" + f.debug() : "") + (headers != null ? " " + headers : ""));
    }
    if (f.type == PING && !f.has(ACK) && autoPingAck) {
      frame(PING, ACK, 0, payload);
    }
    return f;
  }

  private final java.util.ArrayDeque<Frame> stash = new java.util.ArrayDeque<>();

  /** The next frame of {@code stream} (or a GOAWAY); frames of other streams are kept for later. */
  private Frame next(int stream) throws IOException {
    for (java.util.Iterator<Frame> it = stash.iterator(); it.hasNext(); ) {
      Frame f = it.next();
      if (f.stream == stream) {
        it.remove();
        return f;
      }
    }
    while (true) {
      Frame f = read();
      if (f.stream == stream || f.type == GOAWAY) {
        return f;
      }
      if (f.stream != 0) {
        stash.add(f);
      }
    }
  }

  /** Reads frames until one matches; fails on EOF or the socket timeout. */
  Frame await(Predicate<Frame> match) throws IOException {
    while (true) {
      Frame f = read();
      if (match.test(f)) {
        return f;
      }
    }
  }

  Frame awaitGoAway() throws IOException {
    return await(f -> f.type == GOAWAY);
  }

  record Response(Http2Headers headers, byte[] body, Http2Headers trailers, java.util.List<Frame> frames) {
    int status() {
      return Integer.parseInt(headers.status().toString());
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** Collects the response on {@code stream} up to END_STREAM; fails on RST_STREAM or GOAWAY. */
  Response response(int stream) throws Exception {
    Http2Headers head = null;
    Http2Headers trailers = new DefaultHttp2Headers();
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    java.util.List<Frame> frames = new java.util.ArrayList<>();
    while (true) {
      Frame f = next(stream);
      if (f.type == GOAWAY || f.type == RST_STREAM && f.stream == stream) {
        throw new IllegalStateException("stream " + stream + " ended by frame type " + f.type + " error " + f.errorCode());
      }
      frames.add(f);
      if (f.type == HEADERS) {
        if (head == null) {
          head = decode(f);
        } else {
          trailers = decode(f);
        }
      } else if (f.type == DATA) {
        body.write(f.payload);
        unacknowledgedData += f.payload.length;
        if (unacknowledgedData >= 16 * 1024 && !f.has(END_STREAM)) {
          // grant credit in batches, and never after the last frame (the server may be closing)
          windowUpdate(0, (int) unacknowledgedData);
          windowUpdate(stream, (int) unacknowledgedData);
          unacknowledgedData = 0;
        }
      }
      if (f.has(END_STREAM)) {
        return new Response(head, body.toByteArray(), trailers, frames);
      }
    }
  }

  Http2Headers decode(Frame headersFrame) {
    return headersFrame.headers;
  }

  /** Whether the server closed the connection within the socket timeout (frames before EOF are skipped). */
  boolean closedByPeer() throws IOException {
    try {
      while (true) {
        read();
      }
    } catch (EOFException e) {
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
