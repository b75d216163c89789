package io.asupersync.sample;

import io.asupersync.protocols.http.HttpResponse;
import io.asupersync.spring.boot.server.AsupersyncServerCustomizer;
import io.asupersync.spring.boot.server.AuthenticationHttpFilter;
import io.asupersync.spring.boot.server.WebSocketEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.Authentication;

/**
 * Routes of the Asupersync server (cleartext 9080: HTTP/1.1 and h2c; TLS 9443: ALPN h2 and http/1.1):
 * {@code GET /hello}, and {@code GET /whoami}, which names the client authenticated by the starter's
 * hook (HTTP Basic with the sample's user, or the development client certificate over mTLS), and the
 * WebSocket echo endpoint {@code /ws/echo}.
 */
@Configuration(proxyBeanMethods = false)
class AsupersyncRoutes {

  @Bean
  AsupersyncServerCustomizer sampleRoutes() {
    return server -> server
        .get("/hello", (cx, request) -> HttpResponse.status(200)
            .contentType("text/plain; charset=utf-8")
            .body(HelloController.GREETING)
            .build())
        .get("/whoami", (cx, request) -> HttpResponse.ok(
            AuthenticationHttpFilter.authentication(request).map(Authentication::getName).orElse("anonymous")));
  }

  /** Sends every message back until the client closes. */
  @Bean
  WebSocketEndpoint echoEndpoint() {
    return WebSocketEndpoint.of("/ws/echo", (cx, session) -> {
      while (true) {
        session.send(cx, session.receive(cx));
      }
    });
  }
}
