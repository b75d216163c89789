package io.asupersync.protocols.http;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A response: status, header fields, a body (bytes, or a {@link BodyWriter} that streams), and trailer
 * fields. Immutable once built; a byte body is not copied, so do not change the array afterwards.
 *
 * <p>On the wire: a response without body and without trailers is one HEADERS frame with END_STREAM on
 * HTTP/2 (the trailers-only form gRPC relies on) and a {@code content-length: 0} response on HTTP/1.1.
 * Trailers go out as a final HEADERS frame (HTTP/2) or in the last chunk of a chunked body (HTTP/1.1).
 */
public final class HttpResponse {

  private static final byte[] EMPTY = new byte[0];

  private final int status;
  private final HttpHeaders headers;
  private final byte[] body;
  private final @Nullable BodyWriter writer;
  private final HttpHeaders trailers;

  private HttpResponse(Builder b) {
    this.status = b.status;
    this.headers = b.headers.build();
    this.body = b.body;
    this.writer = b.writer;
    this.trailers = b.trailers;
  }

  /** A builder for a response with {@code status} (100-199 are not final responses and are refused). */
  public static Builder status(int status) {
    return new Builder(status);
  }

  /** An empty response. */
  public static HttpResponse of(int status) {
    return status(status).build();
  }

  /** A {@code text/plain; charset=utf-8} response. */
  public static HttpResponse text(int status, String text) {
    return status(status).body(text).build();
  }

  /** 200 with a {@code text/plain; charset=utf-8} body. */
  public static HttpResponse ok(String text) {
    return text(200, text);
  }

  public int status() {
    return status;
  }

  public HttpHeaders headers() {
    return headers;
  }

  /** The byte body; empty for a streaming response. */
  public byte[] body() {
    return body;
  }

  /** The streaming body, or null for a byte body. */
  public @Nullable BodyWriter writer() {
    return writer;
  }

  public HttpHeaders trailers() {
    return trailers;
  }

  @Override
  public String toString() {
    return "HttpResponse[" + status + ", " + headers + (writer != null ? ", streaming" : ", " + body.length + " bytes") + "]";
  }

  /** Builds an {@link HttpResponse}; not thread-safe. */
  public static final class Builder {
    private final int status;
    private final HttpHeaders.Builder headers = HttpHeaders.builder();
    private byte[] body = EMPTY;
    private @Nullable BodyWriter writer;
    private HttpHeaders trailers = HttpHeaders.empty();
    private boolean contentTypeSet;

    private Builder(int status) {
      if (status < 200 || status > 999) {
        throw new IllegalArgumentException("final status must be in [200, 999], was " + status);
      }
      this.status = status;
    }

    /**
     * Appends a header field.
     *
     * @throws IllegalArgumentException when the name is not a token or the value holds CR, LF or NUL
     *     (response splitting)
     */
    public Builder header(String name, String value) {
      checkField(name, value);
      headers.add(name, value);
      contentTypeSet |= name.equalsIgnoreCase("content-type");
      return this;
    }

    /** Appends every field of {@code fields}. */
    public Builder headers(HttpHeaders fields) {
      for (var field : fields) {
        header(field.getKey(), field.getValue());
      }
      return this;
    }

    private static void checkField(String name, String value) {
      if (name.isEmpty()) {
        throw new IllegalArgumentException("empty header name");
      }
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (c <= ' ' || c >= 127 || c == ':' && i > 0 || "\"(),/;<=>?@[\\]{}".indexOf(c) >= 0) {
          throw new IllegalArgumentException("header name is not a token: " + name);
        }
      }
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c == '\r' || c == '\n' || c == 0) {
          throw new IllegalArgumentException("header " + name + " has CR, LF or NUL in its value");
        }
      }
    }

    public Builder contentType(String value) {
      checkField("content-type", value);
      headers.set("content-type", value);
      contentTypeSet = true;
      return this;
    }

    /** A byte body (not copied). */
    public Builder body(byte[] bytes) {
      this.body = Objects.requireNonNull(bytes, "bytes");
      this.writer = null;
      return this;
    }

    /** A UTF-8 text body; sets {@code content-type: text/plain; charset=utf-8} unless one is set. */
    public Builder body(String text) {
      if (!contentTypeSet) {
        contentType("text/plain; charset=utf-8");
      }
      return body(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A streaming body, written after the head is sent. */
    public Builder streaming(BodyWriter bodyWriter) {
      this.writer = Objects.requireNonNull(bodyWriter, "bodyWriter");
      this.body = EMPTY;
      return this;
    }

    /** Trailer fields sent after the body. */
    public Builder trailers(HttpHeaders fields) {
      this.trailers = Objects.requireNonNull(fields, "fields");
      return this;
    }

    public HttpResponse build() {
      return new HttpResponse(this);
    }
  }
}
