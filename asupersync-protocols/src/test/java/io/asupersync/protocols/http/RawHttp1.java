package io.asupersync.protocols.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A test-side HTTP/1.1 client on a raw socket: sends exactly the bytes given, parses what comes back. */
final class RawHttp1 implements AutoCloseable {

  record Response(int status, Map<String, List<String>> headers, byte[] body, Map<String, List<String>> trailers) {
    String header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null ? null : v.get(0);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawHttp1(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(5000);
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  static RawHttp1 connect(int port) throws IOException {
    return new RawHttp1(new Socket("127.0.0.1", port));
  }

  RawHttp1 send(String text) throws IOException {
    return send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  RawHttp1 send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** A GET with Host, keep-alive. */
  Response get(String path) throws IOException {
    send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
    return read();
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        break;
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    if (c == -1 && b.size() == 0) {
      throw new IOException("connection closed");
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  private Map<String, List<String>> fields() throws IOException {
    Map<String, List<String>> h = new LinkedHashMap<>();
    String l;
    while (!(l = line()).isEmpty()) {
      int colon = l.indexOf(':');
      h.computeIfAbsent(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(l.substring(colon + 1).trim());
    }
    return h;
  }

  /** Reads one response (skipping 1xx). */
  Response read() throws IOException {
    while (true) {
      String status = line();
      int code = Integer.parseInt(status.split(" ")[1]);
      Map<String, List<String>> h = fields();
      if (code >= 100 && code < 200) {
        continue;
      }
      Response head = new Response(code, h, new byte[0], Map.of());
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      Map<String, List<String>> trailers = Map.of();
      if ("chunked".equalsIgnoreCase(head.header("transfer-encoding"))) {
        while (true) {
          int size = Integer.parseInt(line().trim(), 16);
          if (size == 0) {
            trailers = fields();
            break;
          }
          body.write(in.readNBytes(size));
          line();
        }
      } else if (head.header("content-length") != null) {
        body.write(in.readNBytes(Integer.parseInt(head.header("content-length"))));
      } else if ("close".equalsIgnoreCase(head.header("connection"))) {
        body.write(in.readAllBytes());
      }
      return new Response(code, h, body.toByteArray(), trailers);
    }
  }

  /** Reads one response head only (status and fields), leaving the body unread. */
  Response readHead() throws IOException {
    String status = line();
    return new Response(Integer.parseInt(status.split(" ")[1]), fields(), new byte[0], Map.of());
  }

  InputStream input() {
    return in;
  }

  /** Whether the server closed the connection (EOF or reset) within the socket timeout. */
  boolean closedByPeer() throws IOException {
    try {
      while (true) {
        if (in.read() == -1) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // connection reset
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
