package io.asupersync.protocols.grpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A test-side gRPC peer on a raw HTTP/2 socket: sends exactly the headers and bytes a test means (a
 * malformed timeout, an unknown encoding) and records every frame of the answer, so a test can tell a
 * trailers-only answer from headers plus trailers.
 */
final class GrpcWire implements AutoCloseable {

  static final int DATA = 0, HEADERS = 1, RST_STREAM = 3, SETTINGS = 4, PING = 6, GOAWAY = 7;
  static final int END_STREAM = 0x1, END_HEADERS = 0x4, ACK = 0x1;

  record Frame(int type, int flags, int stream, byte[] payload) {
    boolean endStream() {
      return (flags & END_STREAM) != 0;
    }
  }

  /** The answer on one stream: its HEADERS blocks in order, the DATA bytes, and whether it was reset. */
  record Answer(List<Http2Headers> headerBlocks, byte[] data, boolean reset) {
    boolean trailersOnly() {
      return headerBlocks.size() == 1;
    }

    Http2Headers last() {
      return headerBlocks.get(headerBlocks.size() - 1);
    }

    String grpcStatus() {
      return String.valueOf(last().get("grpc-status"));
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
  private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false, 1 << 20);

  private GrpcWire(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(10_000);
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  static GrpcWire connect(int port) throws IOException {
    GrpcWire w = new GrpcWire(new Socket("127.0.0.1", port));
    w.out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    w.frame(SETTINGS, 0, 0, new byte[0]);
    return w;
  }

  /** The request head of a call to {@code path}, to which a test adds or removes fields. */
  static Http2Headers call(String path) {
    return new DefaultHttp2Headers()
        .method("POST")
        .scheme("http")
        .path(path)
        .authority("localhost")
        .add("content-type", "application/grpc")
        .add("te", "trailers");
  }

  /** One message with its 5-byte prefix. */
  static byte[] message(int flag, byte[] body) {
    return ByteBuffer.allocate(5 + body.length).put((byte) flag).putInt(body.length).put(body).array();
  }

  void headers(int stream, Http2Headers headers, boolean endStream) throws Exception {
    ByteBuf block = Unpooled.buffer();
    encoder.encodeHeaders(stream, headers, block);
    frame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), stream, ByteBufUtil.getBytes(block));
    block.release();
  }

  void data(int stream, byte[] bytes, boolean endStream) throws IOException {
    frame(DATA, endStream ? END_STREAM : 0, stream, bytes);
  }

  void frame(int type, int flags, int stream, byte[] payload) throws IOException {
    ByteBuffer f = ByteBuffer.allocate(9 + payload.length);
    f.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
    f.put((byte) type).put((byte) flags).putInt(stream).put(payload);
    out.write(f.array());
    out.flush();
  }

  private Frame read() throws IOException {
    int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
    int type = in.readUnsignedByte();
    int flags = in.readUnsignedByte();
    int stream = in.readInt() & 0x7fffffff;
    byte[] payload = new byte[length];
    in.readFully(payload);
    if (type == SETTINGS && (flags & ACK) == 0) {
      frame(SETTINGS, ACK, 0, new byte[0]);
    } else if (type == PING && (flags & ACK) == 0) {
      frame(PING, ACK, 0, payload);
    }
    return new Frame(type, flags, stream, payload);
  }

  /** Frames of other streams read while waiting for one, their header blocks already decoded. */
  private final java.util.Map<Integer, java.util.ArrayDeque<Decoded>> stashed = new java.util.HashMap<>();

  private record Decoded(Frame frame, Http2Headers headers) {}

  /**
   * The next frame of {@code stream}. Frames of other streams are kept for their own {@link #answer},
   * and every header block is decoded in wire order: skipping one would put the HPACK table out of sync.
   */
  private Decoded next(int stream) throws Exception {
    java.util.ArrayDeque<Decoded> mine = stashed.get(stream);
    if (mine != null && !mine.isEmpty()) {
      return mine.poll();
    }
    while (true) {
      Frame f = read();
      if (f.type == GOAWAY) {
        throw new IllegalStateException("connection closed with GOAWAY");
      }
      Http2Headers headers = f.type == HEADERS ? decoder.decodeHeaders(f.stream, Unpooled.wrappedBuffer(f.payload)) : null;
      Decoded d = new Decoded(f, headers);
      if (f.stream == stream) {
        return d;
      }
      if (f.stream != 0) {
        stashed.computeIfAbsent(f.stream, k -> new java.util.ArrayDeque<>()).add(d);
      }
    }
  }

  /** Reads until {@code stream} ends (END_STREAM or RST_STREAM). */
  Answer answer(int stream) throws Exception {
    List<Http2Headers> blocks = new ArrayList<>();
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    while (true) {
      Decoded d = next(stream);
      Frame f = d.frame();
      switch (f.type) {
        case HEADERS -> blocks.add(d.headers());
        case DATA -> data.writeBytes(f.payload);
        case RST_STREAM -> {
          return new Answer(blocks, data.toByteArray(), true);
        }
        default -> {}
      }
      if (f.endStream()) {
        return new Answer(blocks, data.toByteArray(), false);
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
