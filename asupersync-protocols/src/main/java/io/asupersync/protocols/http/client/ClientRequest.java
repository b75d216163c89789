package io.asupersync.protocols.http.client;

import io.asupersync.protocols.http.HttpHeaders;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * One request: method, absolute {@code http} or {@code https} URI, headers and a body held in memory.
 * Connection-level headers ({@code connection}, {@code keep-alive}, {@code transfer-encoding},
 * {@code upgrade}, {@code host}, {@code content-length}) are set by the client, not taken from here.
 */
public final class ClientRequest {
  private static final Set<String> CONNECTION_HEADERS =
      Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "host", "content-length", "te");

  private final String method;
  private final URI uri;
  private final HttpHeaders headers;
  private final byte[] body;

  private ClientRequest(Builder b) {
    this.method = b.method;
    this.uri = b.uri;
    this.headers = b.headers.build();
    this.body = b.body;
  }

  public static Builder builder(String method, URI uri) {
    return new Builder(method, uri);
  }

  public static ClientRequest get(URI uri) {
    return builder("GET", uri).build();
  }

  public static ClientRequest get(String uri) {
    return get(URI.create(uri));
  }

  public static ClientRequest post(URI uri, String contentType, byte[] body) {
    return builder("POST", uri).header("content-type", contentType).body(body).build();
  }

  public String method() {
    return method;
  }

  public URI uri() {
    return uri;
  }

  public HttpHeaders headers() {
    return headers;
  }

  /** A copy of the body; empty for none. */
  public byte[] body() {
    return body.clone();
  }

  byte[] bodyUnsafe() {
    return body;
  }

  boolean isIdempotent() {
    return switch (method) {
      case "GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE" -> true;
      default -> false;
    };
  }

  /** The raw path, {@code /} when empty. */
  String path() {
    String path = uri.getRawPath();
    return path == null || path.isEmpty() ? "/" : path;
  }

  /** Collects headers an observer adds; copies the request only when there are some. */
  final class Extension implements BiConsumer<String, String> {
    private @Nullable Builder copy;

    @Override
    public void accept(String name, String value) {
      Builder b = copy;
      if (b == null) {
        b = new Builder(method, uri);
        for (Map.Entry<String, String> field : headers) {
          b.headers.add(field.getKey(), field.getValue());
        }
        b.body = body;
        copy = b;
      }
      b.header(name, value);
    }

    /** The request with the added headers. */
    ClientRequest request() {
      return copy == null ? ClientRequest.this : copy.build();
    }
  }

  /** Path and query as sent on the wire, {@code /} when empty. */
  String pathAndQuery() {
    String path = path();
    return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
  }

  @Override
  public String toString() {
    return method + " " + uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + uri.getRawPath();
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final String method;
    private final URI uri;
    private final HttpHeaders.Builder headers = HttpHeaders.builder();
    private byte[] body = new byte[0];

    private Builder(String method, URI uri) {
      Objects.requireNonNull(method, "method");
      if (method.isEmpty() || !method.chars().allMatch(c -> c > 0x20 && c < 0x7F && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
        throw new IllegalArgumentException("not an HTTP method token: " + method);
      }
      String scheme = Objects.requireNonNull(uri, "uri").getScheme();
      if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")) || uri.getHost() == null) {
        throw new IllegalArgumentException("need an absolute http or https URI with a host: " + uri);
      }
      this.method = method;
      this.uri = uri;
    }

    /** Adds a field; connection-level fields are refused (the client owns them). */
    public Builder header(String name, String value) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (CONNECTION_HEADERS.contains(lower) || lower.startsWith(":")) {
        throw new IllegalArgumentException("the client sets '" + lower + "' itself");
      }
      if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("header '" + lower + "' value contains CR, LF or NUL");
      }
      headers.add(lower, value);
      return this;
    }

    public Builder body(byte[] value) {
      body = value.clone();
      return this;
    }

    public ClientRequest build() {
      return new ClientRequest(this);
    }
  }
}
