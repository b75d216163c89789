package io.asupersync.spring.boot.server;

import io.asupersync.protocols.websocket.WebSocketHandler;
import java.util.List;
import java.util.Objects;

/**
 * A WebSocket endpoint of the auto-configured Asupersync server: declare beans of this type and the
 * starter serves each on its path (upgraded from HTTP/1.1 on both ports) with the limits of {@code
 * asupersync.websocket.*}.
 *
 * <pre>{@code
 * @Bean
 * WebSocketEndpoint echo() {
 *   return WebSocketEndpoint.of("/ws/echo", (cx, session) -> {
 *     while (true) session.send(cx, session.receive(cx));
 *   });
 * }
 * }</pre>
 *
 * @param path matched exactly, query ignored; starts with {@code /}
 * @param subprotocols what the endpoint speaks, chosen in the client's order of preference; may be empty
 * @param handler runs once per connection, in a region of its own
 */
public record WebSocketEndpoint(String path, List<String> subprotocols, WebSocketHandler handler) {

  public WebSocketEndpoint {
    Objects.requireNonNull(path, "path");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("WebSocket path must start with '/', was " + path);
    }
    subprotocols = List.copyOf(subprotocols);
    Objects.requireNonNull(handler, "handler");
  }

  /** An endpoint without subprotocols. */
  public static WebSocketEndpoint of(String path, WebSocketHandler handler) {
    return new WebSocketEndpoint(path, List.of(), handler);
  }
}
