package io.asupersync.spring.boot.server;

import io.asupersync.protocols.http.AsupersyncServer;

/**
 * Contributes to the auto-configured Asupersync server: declare beans of this type to add routes (and
 * anything else the builder offers) before the server starts. Customizers run in {@link
 * org.springframework.core.Ordered} order, after the starter applied the {@code asupersync.server.*}
 * properties and registered every {@link io.asupersync.protocols.http.HttpFilter} bean.
 *
 * <pre>{@code
 * @Bean
 * AsupersyncServerCustomizer helloRoutes() {
 *   return server -> server.get("/hello", (cx, request) -> HttpResponse.ok("hello"));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface AsupersyncServerCustomizer {

  /** Adds to {@code server}; called once, before it starts. */
  void customize(AsupersyncServer.Builder server);
}
