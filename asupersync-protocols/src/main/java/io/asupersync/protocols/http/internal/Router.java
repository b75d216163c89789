package io.asupersync.protocols.http.internal;

import io.asupersync.protocols.http.HttpHandler;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/** Method + path pattern to handler; immutable once built, shared by every event loop. */
public final class Router {

  /** The result of matching one request. */
  public sealed interface Match {}

  /** A route matched; {@code params} are the decoded pattern variables. */
  public record Found(Route route, Map<String, String> params) implements Match {}

  /** No route has this path. */
  public record NotFound() implements Match {}

  /** Routes have this path, under other methods. */
  public record MethodNotAllowed(Set<String> allowed) implements Match {}

  /** A path segment with an undecodable percent escape. */
  public record BadPath() implements Match {}

  /**
   * One registered route. A {@code stream} route serves long-lived message streams (gRPC): its requests
   * get no server deadline and no total body limit; the handler bounds each message and applies its own
   * deadline.
   */
  public record Route(
      String method, String pattern, HttpHandler handler, List<String> segments, boolean stream, String taskName) {

    Route(String method, String pattern, HttpHandler handler, List<String> segments, boolean stream) {
      // the request task's name, built once per route rather than per request
      this(method, pattern, handler, segments, stream, Router.taskName(method, pattern));
    }

    /** The name of a request task on this route; a HEAD served by a GET route says HEAD. */
    String taskName(String requestMethod) {
      return requestMethod.equals(method) ? taskName : Router.taskName(requestMethod, pattern);
    }

    int rank(int index) {
      if (index >= segments.size()) {
        return -1;
      }
      String s = segments.get(index);
      if (s.startsWith("{*")) {
        return 2;
      }
      return s.startsWith("{") ? 1 : 0;
    }
  }

  /** The name of the task serving a {@code method} request on {@code route} ({@code http GET /items/{id}}). */
  static String taskName(String method, String route) {
    return "http " + method + " " + route;
  }

  private final List<Route> routes;

  private Router(List<Route> routes) {
    this.routes = routes;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Matches {@code rawPath} (percent-encoded, no query); HEAD falls back to GET. */
  public Match match(String method, String rawPath) {
    String[] parts = split(rawPath);
    Set<String> allowed = null;
    Route fallback = null;
    Map<String, String> fallbackParams = null;
    for (Route route : routes) {
      Map<String, String> params = matchPath(route, parts);
      if (params == null) {
        continue;
      }
      if (params == BAD) {
        return new BadPath();
      }
      if (route.method.equals(method)) {
        return new Found(route, params);
      }
      if (fallback == null && method.equals("HEAD") && route.method.equals("GET")) {
        fallback = route;
        fallbackParams = params;
      }
      if (allowed == null) {
        allowed = new TreeSet<>();
      }
      allowed.add(route.method);
    }
    if (fallback != null) {
      return new Found(fallback, Objects.requireNonNull(fallbackParams));
    }
    return allowed == null ? new NotFound() : new MethodNotAllowed(allowed);
  }

  private static final Map<String, String> BAD = Map.of("", "");

  private static String[] split(String rawPath) {
    String p = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
    return p.split("/", -1);
  }

  private static @Nullable Map<String, String> matchPath(Route route, String[] parts) {
    List<String> segs = route.segments;
    Map<String, String> params = null;
    for (int i = 0; i < segs.size(); i++) {
      String seg = segs.get(i);
      if (seg.startsWith("{*")) {
        String rest = String.join("/", java.util.Arrays.copyOfRange(parts, Math.min(i, parts.length), parts.length));
        String decoded = percentDecode(rest);
        if (decoded == null) {
          return BAD;
        }
        params = params == null ? new LinkedHashMap<>() : params;
        params.put(seg.substring(2, seg.length() - 1), decoded);
        return params;
      }
      if (i >= parts.length) {
        return null;
      }
      if (seg.startsWith("{")) {
        if (parts[i].isEmpty()) {
          return null;
        }
        String decoded = percentDecode(parts[i]);
        if (decoded == null) {
          return BAD;
        }
        params = params == null ? new LinkedHashMap<>() : params;
        params.put(seg.substring(1, seg.length() - 1), decoded);
      } else if (!seg.equals(parts[i])) {
        return null;
      }
    }
    if (parts.length != segs.size()) {
      return null;
    }
    return params == null ? Map.of() : params;
  }

  /** Decodes %XX escapes as UTF-8 ('+' stays '+': this is a path, not a form); null when malformed. */
  static @Nullable String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          return null;
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        out.write(hi << 4 | lo);
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Collects routes; later duplicates of the same method and pattern are refused. */
  public static final class Builder {
    private final List<Route> routes = new ArrayList<>();

    private Builder() {}

    public Builder add(String method, String pattern, HttpHandler handler) {
      return add(method, pattern, handler, false);
    }

    public Builder add(String method, String pattern, HttpHandler handler, boolean stream) {
      Objects.requireNonNull(handler, "handler");
      if (method.isEmpty() || !method.chars().allMatch(c -> c > 32 && c < 127)) {
        throw new IllegalArgumentException("bad method: " + method);
      }
      if (!pattern.startsWith("/")) {
        throw new IllegalArgumentException("pattern must start with '/': " + pattern);
      }
      List<String> segments = List.of(pattern.substring(1).split("/", -1));
      for (int i = 0; i < segments.size(); i++) {
        String s = segments.get(i);
        boolean variable = s.startsWith("{") || s.endsWith("}");
        if (variable && (!s.startsWith("{") || !s.endsWith("}") || s.length() < 3 || s.equals("{*}"))) {
          throw new IllegalArgumentException("bad variable '" + s + "' in " + pattern);
        }
        if (s.startsWith("{*") && i != segments.size() - 1) {
          throw new IllegalArgumentException("{*name} must be the last segment: " + pattern);
        }
      }
      for (Route r : routes) {
        if (r.method.equals(method) && r.pattern.equals(pattern)) {
          throw new IllegalArgumentException("duplicate route " + method + " " + pattern);
        }
      }
      routes.add(new Route(method, pattern, handler, segments, stream));
      return this;
    }

    public Router build() {
      List<Route> sorted = new ArrayList<>(routes);
      Comparator<Route> specific =
          (a, b) -> {
            int n = Math.max(a.segments.size(), b.segments.size());
            for (int i = 0; i < n; i++) {
              int c = Integer.compare(a.rank(i), b.rank(i));
              if (c != 0) {
                return c;
              }
            }
            return 0;
          };
      sorted.sort(specific);
      return new Router(List.copyOf(sorted));
    }
  }
}
