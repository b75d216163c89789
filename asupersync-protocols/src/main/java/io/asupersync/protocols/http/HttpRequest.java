package io.asupersync.protocols.http;

import io.asupersync.protocols.tls.TlsInfo;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * One request as the handler sees it, for HTTP/1.1 and HTTP/2 alike. The head (everything but the body)
 * is immutable; the body streams. Header values and the raw path may carry secrets: the server never
 * logs or traces them, and neither should filters.
 */
public interface HttpRequest {

  HttpProtocol protocol();

  /** The method in upper case, as sent ({@code GET}, {@code POST}, ...). */
  String method();

  /** The path as sent, still percent-encoded, without the query ({@code *} for {@code OPTIONS *}). */
  String path();

  /** The query string as sent, without {@code ?}; null when the target had none. */
  @Nullable String rawQuery();

  /** Decoded query parameters in order of arrival; empty when none. */
  Map<String, List<String>> queryParams();

  /** The first value of a query parameter, or null. */
  default @Nullable String queryParam(String name) {
    List<String> values = queryParams().get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /**
   * The route pattern that matched ({@code /users/{id}}), safe to use as a metric or span name; {@code
   * "-"} when no route matched.
   */
  String route();

  /** Decoded values of the pattern's variables. */
  Map<String, String> pathParams();

  /** A decoded path variable, or null when the pattern has no such variable. */
  default @Nullable String pathParam(String name) {
    return pathParams().get(name);
  }

  /** Request header fields (HTTP/2 pseudo-headers excluded). */
  HttpHeaders headers();

  /** {@code http} or {@code https}. */
  String scheme();

  /** The Host field (HTTP/1.1) or {@code :authority} (HTTP/2); null when absent. */
  @Nullable String authority();

  InetSocketAddress remoteAddress();

  InetSocketAddress localAddress();

  /** The TLS session, when the request arrived on the TLS port. */
  Optional<TlsInfo> tls();

  RequestBody body();

  /** Mutable per-request attributes for filters to hand values (an authenticated principal) to handlers. */
  ConcurrentMap<String, Object> attributes();
}
