package io.asupersync.fuzz.attack;

import io.asupersync.fuzz.H2Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
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

  /** The error code of the server's RST_STREAM for {@code stream}, or -1 when none came. */
  int awaitReset(int stream) throws IOException {
    H2Wire.Frame f = readUntil(fr -> fr.type() == H2Wire.RST_STREAM && fr.stream() == stream);
    return f == null ? -1 : H2Wire.int32At(f.payload(), 0);
  }

  /** The {@code :status} of the response on {@code stream}, or -1 when none came. */
  int awaitStatus(int stream) throws IOException {
    while (true) {
      H2Wire.Frame f = readUntil(fr -> fr.type() == H2Wire.HEADERS);
      if (f == null) {
        return -1;
      }
      ByteBuf block = Unpooled.wrappedBuffer(f.payload());
      try {
        CharSequence status = hpack.decodeHeaders(f.stream(), block).status();
        if (f.stream() == stream && status != null) {
          return Integer.parseInt(status.toString());
        }
      } catch (Http2Exception e) {
        throw new IOException(e);
      } finally {
        block.release();
      }
    }
  }

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
      return f;
    } catch (EOFException | SocketTimeoutException | SocketException e) {
      closed = true;
      return null;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
