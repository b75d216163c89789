package io.asupersync.fuzz.attack;

import io.asupersync.fuzz.H2Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/** A raw h2c (prior knowledge) connection that writes whatever frames a test builds and reads frames back. */
final class H2Session implements AutoCloseable {

  static final int NO_ERROR = 0, PROTOCOL_ERROR = 1, FLOW_CONTROL_ERROR = 3, ENHANCE_YOUR_CALM = 0xb;

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final DefaultHttp2HeadersDecoder hpack = new DefaultHttp2HeadersDecoder(false);
  final List<H2Wire.Frame> received = new ArrayList<>();
  boolean closed;
  private final Map<Integer, Integer> resets = new HashMap<>();
  // Kept once settle() ran: the server's flow-control windows for what we send, and per stream its
  // last header block, how many blocks, its DATA bytes, and whether it ended.
  private boolean settled;
  private long initialStreamWindow = 65_535;
  private long connectionWindow = 65_535;
  private final Map<Integer, Long> streamWindowChange = new HashMap<>();
  private final Map<Integer, Http2Headers> lastHeaders = new HashMap<>();
  private final Map<Integer, Integer> headerBlocks = new HashMap<>();
  private final Map<Integer, ByteArrayOutputStream> data = new HashMap<>();
  private final Set<Integer> ended = new HashSet<>();
  private final Set<Integer> endedByHeaders = new HashSet<>();

  H2Session(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
    out.write(H2Wire.PREFACE);
    send(new H2Wire().settings());
  }

  H2Session send(H2Wire frames) throws IOException {
    out.write(frames.bytes());
    out.flush();
    return this;
  }

  /** Reads frames until one matches (returned), or the connection closes or stays silent for 10 s (null). */
  H2Wire.@Nullable Frame readUntil(Predicate<H2Wire.Frame> wanted) throws IOException {
    while (true) {
      H2Wire.Frame f = next();
      if (f == null) {
        return null;
      }
      if (wanted.test(f)) {
        return f;
      }
    }
  }

  /** The server's GOAWAY error code, or -1 when the connection ended without one. */
  int awaitGoAway() throws IOException {
    H2Wire.Frame f = readUntil(fr -> fr.type() == H2Wire.GOAWAY);
    return f == null ? -1 : H2Wire.int32At(f.payload(), 4);
  }

  /** The error code of the server's (first) RST_STREAM for {@code stream}, or -1 when none came. */
  int awaitReset(int stream) throws IOException {
    while (!resets.containsKey(stream)) {
      if (next() == null) {
        return -1;
      }
    }
    return resets.get(stream);
  }

  /** The last header block read on {@code stream} (needs {@link #settle}). */
  @Nullable Http2Headers headersOf(int stream) {
    return lastHeaders.get(stream);
  }

  /** The {@code :status} of the response on {@code stream}, or -1 when none came. */
  int awaitStatus(int stream) throws IOException {
    while (true) {
      H2Wire.Frame f = readUntil(fr -> fr.type() == H2Wire.HEADERS);
      if (f == null) {
        return -1;
      }
      CharSequence status = (settled ? lastHeaders.get(f.stream()) : decode(f)).status();
      if (f.stream() == stream && status != null) {
        return Integer.parseInt(status.toString());
      }
    }
  }

  private Http2Headers decode(H2Wire.Frame f) throws IOException {
    ByteBuf block = Unpooled.wrappedBuffer(f.payload());
    try {
      return hpack.decodeHeaders(f.stream(), block);
    } catch (Http2Exception e) {
      throw new IOException(e);
    } finally {
      block.release();
    }
  }

  /**
   * Waits for the server's SETTINGS and acknowledges them, so the server applies its stream window to
   * what we send; from then on every HEADERS frame read is decoded (see {@link #awaitGrpcStatus}) and
   * {@link #data} keeps within the server's flow-control windows.
   */
  H2Session settle() throws IOException {
    settled = true;
    if (readUntil(f -> f.type() == H2Wire.SETTINGS && (f.flags() & H2Wire.ACK) == 0) == null) {
      throw new IOException("no SETTINGS from the server");
    }
    return this;
  }

  /**
   * Writes {@code bytes} as DATA frames of at most 16 KiB on {@code stream}, waiting for WINDOW_UPDATEs
   * whenever the server's windows are used up (needs {@link #settle}).
   */
  H2Session data(int stream, byte[] bytes, boolean endStream) throws IOException {
    int at = 0;
    do {
      int n = Math.min(16_384, bytes.length - at);
      while (n > 0 && Math.min(connectionWindow, streamWindow(stream)) < n) {
        if (next() == null) {
          throw new IOException("connection ended while waiting for a window");
        }
      }
      byte[] chunk = Arrays.copyOfRange(bytes, at, at + n);
      at += n;
      connectionWindow -= n;
      streamWindowChange.merge(stream, (long) -n, Long::sum);
      send(new H2Wire().frame(H2Wire.DATA, endStream && at == bytes.length ? H2Wire.END_STREAM : 0, stream, chunk));
    } while (at < bytes.length);
    return this;
  }

  private long streamWindow(int stream) {
    return initialStreamWindow + streamWindowChange.getOrDefault(stream, 0L);
  }

  /**
   * How the gRPC call on {@code stream} ended, once the stream ended; null when it ended without a
   * {@code grpc-status} (a reset, an HTTP error) or the connection closed first (needs {@link #settle}).
   */
  @Nullable GrpcAnswer awaitGrpcStatus(int stream) throws IOException {
    while (!ended.contains(stream)) {
      if (next() == null) {
        return null;
      }
    }
    Http2Headers h = lastHeaders.get(stream);
    if (h == null || !h.contains("grpc-status")) {
      return null;
    }
    return new GrpcAnswer(
        Integer.parseInt(String.valueOf(h.get("grpc-status"))),
        String.valueOf(h.get("grpc-message")),
        headerBlocks.get(stream) == 1 && endedByHeaders.contains(stream),
        data.containsKey(stream) ? data.get(stream).toByteArray() : new byte[0]);
  }

  /** How a gRPC call ended: status, message, whether the answer was trailers-only (one HEADERS frame, ending the stream), response bytes. */
  record GrpcAnswer(int status, String message, boolean trailersOnly, byte[] data) {}

  private H2Wire.@Nullable Frame next() throws IOException {
    if (closed) {
      return null;
    }
    try {
      byte[] head = new byte[9];
      in.readFully(head);
      int n = ((head[0] & 0xff) << 16) | ((head[1] & 0xff) << 8) | (head[2] & 0xff);
      byte[] payload = new byte[n];
      in.readFully(payload);
      H2Wire.Frame f = new H2Wire.Frame(head[3] & 0xff, head[4] & 0xff, H2Wire.int32At(head, 5) & 0x7fffffff, payload);
      received.add(f);
      if (f.type() == H2Wire.RST_STREAM) {
        resets.putIfAbsent(f.stream(), H2Wire.int32At(f.payload(), 0));
      }
      if (settled) {
        account(f);
      }
      return f;
    } catch (EOFException | SocketTimeoutException | SocketException e) {
      closed = true;
      return null;
    }
  }

  /** Tracks the server's windows and settings, acknowledges its SETTINGS, decodes its header blocks. */
  private void account(H2Wire.Frame f) throws IOException {
    switch (f.type()) {
      case H2Wire.SETTINGS -> {
        if ((f.flags() & H2Wire.ACK) == 0) {
          for (int i = 0; i + 6 <= f.payload().length; i += 6) {
            int id = ((f.payload()[i] & 0xff) << 8) | (f.payload()[i + 1] & 0xff);
            if (id == 0x4) {
              initialStreamWindow = H2Wire.int32At(f.payload(), i + 2) & 0xffffffffL;
            }
          }
          send(new H2Wire().frame(H2Wire.SETTINGS, H2Wire.ACK, 0, new byte[0]));
        }
      }
      case H2Wire.WINDOW_UPDATE -> {
        long increment = H2Wire.int32At(f.payload(), 0) & 0x7fffffff;
        if (f.stream() == 0) {
          connectionWindow += increment;
        } else {
          streamWindowChange.merge(f.stream(), increment, Long::sum);
        }
      }
      case H2Wire.RST_STREAM -> ended.add(f.stream());
      case H2Wire.DATA -> data.computeIfAbsent(f.stream(), k -> new ByteArrayOutputStream()).writeBytes(f.payload());
      case H2Wire.HEADERS -> {
        if ((f.flags() & H2Wire.END_HEADERS) == 0) {
          throw new IOException("the test peer does not read CONTINUATION frames");
        }
        lastHeaders.put(f.stream(), decode(f));
        headerBlocks.merge(f.stream(), 1, Integer::sum);
        if ((f.flags() & H2Wire.END_STREAM) != 0 && ended.add(f.stream())) {
          endedByHeaders.add(f.stream());
        }
      }
      default -> {}
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
