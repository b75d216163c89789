package io.asupersync.spring.boot.autoconfigure.server;

import io.asupersync.Runtime;
import io.asupersync.protocols.http.AsupersyncServer;
import io.asupersync.protocols.http.RejectionReason;
import io.asupersync.protocols.http.HttpFilter;
import io.asupersync.protocols.tls.ClientAuth;
import io.asupersync.protocols.tls.TlsConfigException;
import io.asupersync.protocols.websocket.WebSocketHandler;
import io.asupersync.protocols.websocket.WebSocketLimits;
import io.asupersync.protocols.websocket.WebSocketRejectionReason;
import io.asupersync.spring.boot.autoconfigure.AsupersyncAutoConfiguration;
import io.asupersync.spring.boot.autoconfigure.AsupersyncRuntimeProperties;
import io.asupersync.spring.boot.autoconfigure.AsupersyncServerProperties;
import io.asupersync.spring.boot.autoconfigure.AsupersyncWebSocketProperties;
import io.asupersync.spring.boot.autoconfigure.InvalidAsupersyncPropertyException;
import io.asupersync.spring.boot.metrics.EnumRejectionCounts;
import io.asupersync.spring.boot.metrics.RejectionCounts;
import io.asupersync.spring.boot.observation.TraceCorrelation;
import io.asupersync.spring.boot.server.AsupersyncServerCustomizer;
import io.asupersync.spring.boot.server.AsupersyncServerLifecycle;
import io.asupersync.spring.boot.server.ObservationHttpFilter;
import io.asupersync.spring.boot.server.SslBundleServerTls;
import io.asupersync.spring.boot.server.WebSocketEndpoint;
import io.micrometer.observation.ObservationRegistry;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the Asupersync server ({@code asupersync.server.enabled=true}): ports, TLS from
 * an SSL bundle, limits and timeouts from {@code asupersync.server.*}; every {@link HttpFilter} bean (in
 * order), every {@link AsupersyncServerCustomizer} bean (routes) and every {@link WebSocketEndpoint} bean
 * (with the limits of {@code asupersync.websocket.*}) applied; started with the context and
 * shut down gracefully when it closes. Backs off when the application defines its own {@link
 * AsupersyncServer} or {@link AsupersyncServerLifecycle}.
 */
@AutoConfiguration(
    after = {AsupersyncAutoConfiguration.class, SslAutoConfiguration.class},
    afterName = {
      "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
      "io.asupersync.spring.boot.autoconfigure.observation.AsupersyncObservationAutoConfiguration"
    })
@ConditionalOnClass(AsupersyncServer.class)
@ConditionalOnProperty(prefix = "asupersync.server", name = "enabled", havingValue = "true")
@ConditionalOnBean(Runtime.class)
@ConditionalOnMissingBean(AsupersyncServer.class)
@Import(AsupersyncServerSecurityConfiguration.class)
public final class AsupersyncServerAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  AsupersyncServerLifecycle asupersyncServerLifecycle(
      Runtime runtime,
      AsupersyncServerProperties server,
      AsupersyncRuntimeProperties runtimeProperties,
      ObjectProvider<SslBundles> sslBundles,
      ObjectProvider<HttpFilter> filters,
      ObjectProvider<AsupersyncServerCustomizer> customizers,
      Environment environment) {
    // Built at start, once every singleton exists (the SSL bundle names are checked by then).
    return new AsupersyncServerLifecycle(
        () -> {
          AsupersyncServer.Builder builder =
              AsupersyncServer.builder(runtime)
                  .http1Limits(server.limits().http1().toLimits())
                  .http2Limits(server.limits().http2().toLimits())
                  .defaultTimeout(
                      server.defaultTimeout() != null
                          ? server.defaultTimeout()
                          : runtimeProperties.defaultRequestBudget())
                  .shutdownTimeout(runtimeProperties.shutdownTimeout());
          if (server.maxClientTimeout() != null) {
            builder.maxClientTimeout(server.maxClientTimeout());
          }
          if (server.cleartextPort() >= 0) {
            builder.cleartextPort(server.cleartextPort());
          }
          if (server.tlsPort() != null) {
            builder.tlsPort(server.tlsPort()).tlsContext(tls(server.ssl(), sslBundles.getObject()));
          }
          filters.orderedStream().forEach(builder::filter);
          customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
          return builder;
        },
        environment instanceof ConfigurableEnvironment configurable ? configurable : null);
  }

  private static io.asupersync.protocols.tls.ServerTls tls(AsupersyncServerProperties.Ssl ssl, SslBundles bundles) {
    String bundle = ssl.bundle();
    if (bundle == null) {
      // AsupersyncServerProperties refuses a TLS port without a bundle; kept for NullAway.
      throw new IllegalStateException("asupersync.server.ssl.bundle is required with a TLS port");
    }
    ClientAuth clientAuth = ClientAuth.valueOf(ssl.clientAuth().name());
    try {
      return SslBundleServerTls.of(bundles, bundle, clientAuth);
    } catch (TlsConfigException ex) {
      throw new InvalidAsupersyncPropertyException(
          "asupersync.server.ssl.bundle",
          bundle,
          "SSL bundle '" + bundle + "' cannot serve TLS with client-auth " + ssl.clientAuth() + ": " + ex.getMessage(),
          ex.reason() == TlsConfigException.Reason.INVALID_SETTINGS
              ? "Give the bundle a trust store (the CAs of client certificates) or set "
                  + "asupersync.server.ssl.client-auth to none."
              : "Fix the key material of the bundle under spring.ssl.bundle.*.");
    }
  }

  /**
   * The server's rejections (every {@link RejectionReason}) as {@code protocol=http}: HTTP/1.1 and HTTP/2
   * violations, on gRPC and WebSocket connections too; zero while the server is not running.
   */
  @Bean
  @ConditionalOnMissingBean(name = "asupersyncServerRejectionCounts")
  RejectionCounts asupersyncServerRejectionCounts(AsupersyncServerLifecycle lifecycle) {
    return new EnumRejectionCounts<>("http", RejectionReason.class, () -> {
      AsupersyncServer server = lifecycle.server();
      return server == null ? Map.of() : server.rejections();
    });
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(WebSocketHandler.class)
  static final class WebSocketConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "asupersyncWebSocketEndpoints")
    AsupersyncServerCustomizer asupersyncWebSocketEndpoints(
        AsupersyncWebSocketProperties properties, ObjectProvider<WebSocketEndpoint> endpoints) {
      return server -> {
        WebSocketLimits limits = properties.toLimits();
        endpoints.orderedStream().forEach(
            endpoint -> server.websocket(endpoint.path(), limits, endpoint.subprotocols(), endpoint.handler()));
      };
    }

    /** The server's WebSocket rejections (refused upgrades, failed connections) as {@code protocol=websocket}. */
    @Bean
    @ConditionalOnMissingBean(name = "asupersyncWebSocketRejectionCounts")
    RejectionCounts asupersyncWebSocketRejectionCounts(AsupersyncServerLifecycle lifecycle) {
      return new EnumRejectionCounts<>("websocket", WebSocketRejectionReason.class, () -> {
        AsupersyncServer server = lifecycle.server();
        return server == null ? Map.of() : server.websocketRejections();
      });
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(ObservationRegistry.class)
  @ConditionalOnBean(ObservationRegistry.class)
  static final class ObservationConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ObservationHttpFilter asupersyncObservationHttpFilter(
        ObservationRegistry registry, ObjectProvider<TraceCorrelation> correlation) {
      return new ObservationHttpFilter(registry, correlation.getIfAvailable(TraceCorrelation::none));
    }
  }

}
