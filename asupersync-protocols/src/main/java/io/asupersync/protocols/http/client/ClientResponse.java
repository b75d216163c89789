package io.asupersync.protocols.http.client;

import io.asupersync.CancelledException;
import io.asupersync.Cx;
import io.asupersync.protocols.ApplicationProtocol;
import io.asupersync.protocols.http.HttpHeaders;
import io.asupersync.protocols.tls.TlsInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A response whose status and headers arrived; the body streams in behind them. Read it with {@link
 * #readChunk}, {@link #inputStream}, {@link #bytes} or {@link #string}, each on the calling task with its
 * Cx, so the caller's deadline and cancellation apply to the body too. {@link #close()} a response you
 * do not read to its end: an HTTP/2 stream is then reset (CANCEL), an HTTP/1.1 connection closed.
 *
 * <p>Not thread-safe: one task reads it.
 */
public final class ClientResponse implements AutoCloseable {
  private final HttpClient client;
  private final Exchange exchange;
  private final CallTrace trace;
  private final int status;
  private final HttpHeaders headers;
  private final ApplicationProtocol protocol;
  private final @Nullable TlsInfo tls;

  ClientResponse(HttpClient client, Exchange exchange, CallTrace trace, int status, ApplicationProtocol protocol, @Nullable TlsInfo tls) {
    this.client = client;
    this.exchange = exchange;
    this.trace = trace;
    this.status = status;
    this.headers = exchange.headers();
    this.protocol = protocol;
    this.tls = tls;
  }

  public int status() {
    return status;
  }

  public HttpHeaders headers() {
    return headers;
  }

  /** HTTP/1.1 or HTTP/2, as the connection negotiated. */
  public ApplicationProtocol protocol() {
    return protocol;
  }

  /** The TLS session of the connection, empty for cleartext. */
  public Optional<TlsInfo> tls() {
    return Optional.ofNullable(tls);
  }

  /**
   * The next piece of the body, or null at its end. Waits within the caller's budget.
   *
   * @throws HttpClientException if the body is over the limit or the connection or stream failed
   * @throws CancelledException if the caller is cancelled; the stream is reset or the connection closed
   */
  public byte @Nullable [] readChunk(Cx cx) throws HttpClientException {
    try {
      return exchange.nextChunk(cx);
    } catch (HttpClientException e) {
      client.traceFailure(cx, trace, e.reason().name());
      throw e;
    } catch (CancelledException e) {
      exchange.cancel("caller cancelled while reading the body");
      client.traceFailure(cx, trace, "cancelled:" + e.reason().kind());
      throw e;
    }
  }

  /** Reads the rest of the body (at most the configured body limit) and closes the response. */
  public byte[] bytes(Cx cx) throws HttpClientException {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (byte[] chunk = readChunk(cx); chunk != null; chunk = readChunk(cx)) {
        out.write(chunk, 0, chunk.length);
      }
      return out.toByteArray();
    } finally {
      close();
    }
  }

  /** The body decoded as UTF-8. */
  public String string(Cx cx) throws HttpClientException {
    return new String(bytes(cx), StandardCharsets.UTF_8);
  }

  /**
   * The body as a stream for APIs that take one; use it on {@code cx}'s task only. A failed call surfaces
   * as an {@link IOException} whose cause is the {@link HttpClientException}; cancellation stays a
   * {@link CancelledException}. Closing the stream closes the response.
   */
  public InputStream inputStream(Cx cx) {
    return new InputStream() {
      private byte @Nullable [] chunk = new byte[0];
      private int pos;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        while (chunk != null && pos == chunk.length) {
          try {
            chunk = readChunk(cx);
          } catch (HttpClientException e) {
            throw new IOException(e.getMessage(), e);
          }
          pos = 0;
        }
        if (chunk == null) {
          return -1;
        }
        int n = Math.min(len, chunk.length - pos);
        System.arraycopy(chunk, pos, b, off, n);
        pos += n;
        return n;
      }

      @Override
      public void close() {
        ClientResponse.this.close();
      }
    };
  }

  /**
   * Trailer fields (HTTP/2 trailers, HTTP/1.1 chunked trailers); empty when there were none.
   *
   * @throws IllegalStateException before the body was read to its end
   */
  public HttpHeaders trailers() {
    return exchange.trailers();
  }

  /** Abandons what is left of the body; idempotent. Does nothing to a response that already arrived whole. */
  @Override
  public void close() {
    exchange.cancel("response closed before the body was read");
  }

  @Override
  public String toString() {
    return "ClientResponse[" + status + ", " + protocol.alpnId() + ", " + headers + "]";
  }
}
