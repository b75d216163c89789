package io.asupersync.protocols.http.internal;

import io.asupersync.protocols.http.HttpHeaders;
import io.asupersync.protocols.http.HttpProtocol;
import io.asupersync.protocols.http.HttpRequest;
import io.asupersync.protocols.http.RequestBody;
import io.asupersync.protocols.tls.TlsInfo;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/** The request head both protocols build; the query is decoded on first use. */
final class RequestImpl implements HttpRequest {

  /** Query parameters decoded at most; the rest are ignored (hash-flooding and memory bound). */
  static final int MAX_QUERY_PARAMS = 1024;

  private final HttpProtocol protocol;
  private final String method;
  private final String path;
  private final @Nullable String rawQuery;
  private final HttpHeaders headers;
  private final String scheme;
  private final @Nullable String authority;
  private final InetSocketAddress remote;
  private final InetSocketAddress local;
  private final @Nullable TlsInfo tls;
  private String route = "-";
  private Map<String, String> pathParams = Map.of();
  private RequestBody body;
  private volatile @Nullable Map<String, List<String>> query;
  private volatile @Nullable ConcurrentMap<String, Object> attributes;

  /** A connection's address; a non-IP transport (the fuzz module's in-VM channels) reads as an unresolved placeholder. */
  static InetSocketAddress inet(SocketAddress address) {
    return address instanceof InetSocketAddress inet ? inet : InetSocketAddress.createUnresolved("non-ip-transport", 0);
  }

  RequestImpl(
      HttpProtocol protocol,
      String method,
      String target,
      HttpHeaders headers,
      String scheme,
      @Nullable String authority,
      InetSocketAddress remote,
      InetSocketAddress local,
      @Nullable TlsInfo tls,
      RequestBody body) {
    this.protocol = protocol;
    this.method = method;
    String pathPart = withoutAuthority(target);
    int q = pathPart.indexOf('?');
    this.path = q < 0 ? pathPart : pathPart.substring(0, q);
    this.rawQuery = q < 0 ? null : pathPart.substring(q + 1);
    this.headers = headers;
    this.scheme = scheme;
    this.authority = authority;
    this.remote = remote;
    this.local = local;
    this.tls = tls;
    this.body = body;
  }

  /** The path of a request target, without its query: what routes are matched against. */
  static String path(String target) {
    String pathPart = withoutAuthority(target);
    int q = pathPart.indexOf('?');
    return q < 0 ? pathPart : pathPart.substring(0, q);
  }

  private static String withoutAuthority(String target) {
    if (target.startsWith("/") || target.equals("*")) {
      return target;
    }
    // absolute-form (RFC 9112 3.2.2): keep only the path
    int scheme = target.indexOf("://");
    int slash = scheme < 0 ? -1 : target.indexOf('/', scheme + 3);
    return slash < 0 ? "/" : target.substring(slash);
  }

  void route(String pattern, Map<String, String> params) {
    this.route = pattern;
    this.pathParams = params;
  }

  void body(RequestBody value) {
    this.body = value;
  }

  @Override
  public HttpProtocol protocol() {
    return protocol;
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public @Nullable String rawQuery() {
    return rawQuery;
  }

  @Override
  public Map<String, List<String>> queryParams() {
    Map<String, List<String>> q = query;
    if (q == null) {
      q =
          rawQuery == null
              ? Map.of()
              : Collections.unmodifiableMap(
                  new QueryStringDecoder(rawQuery, StandardCharsets.UTF_8, false, MAX_QUERY_PARAMS)
                      .parameters());
      query = q;
    }
    return q;
  }

  @Override
  public String route() {
    return route;
  }

  @Override
  public Map<String, String> pathParams() {
    return pathParams;
  }

  @Override
  public HttpHeaders headers() {
    return headers;
  }

  @Override
  public String scheme() {
    return scheme;
  }

  @Override
  public @Nullable String authority() {
    return authority;
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return remote;
  }

  @Override
  public InetSocketAddress localAddress() {
    return local;
  }

  @Override
  public Optional<TlsInfo> tls() {
    return Optional.ofNullable(tls);
  }

  @Override
  public RequestBody body() {
    return body;
  }

  @Override
  public ConcurrentMap<String, Object> attributes() {
    ConcurrentMap<String, Object> a = attributes;
    if (a == null) {
      synchronized (this) {
        a = attributes;
        if (a == null) {
          a = new ConcurrentHashMap<>();
          attributes = a;
        }
      }
    }
    return a;
  }

  @Override
  public String toString() {
    return "HttpRequest[" + protocol.text() + " " + method + " " + route + "]";
  }
}
