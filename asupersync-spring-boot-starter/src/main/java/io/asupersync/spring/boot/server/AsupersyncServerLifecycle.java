package io.asupersync.spring.boot.server;

import io.asupersync.protocols.http.AsupersyncServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;

/**
 * Starts the Asupersync server with the application context (once every bean exists) and shuts it down
 * gracefully when the context closes, before any bean is destroyed: requests in flight finish within
 * the server's shutdown timeout, then the rest are cancelled. The bound ports are published in the
 * environment as {@value #CLEARTEXT_PORT_PROPERTY} and {@value #TLS_PORT_PROPERTY} (useful with port 0).
 */
public final class AsupersyncServerLifecycle implements SmartLifecycle {

  /** Environment property holding the bound cleartext port. */
  public static final String CLEARTEXT_PORT_PROPERTY = "local.asupersync.cleartext-port";

  /** Environment property holding the bound TLS port. */
  public static final String TLS_PORT_PROPERTY = "local.asupersync.tls-port";

  /** Starts after and stops before the other lifecycle beans, like Spring's own web server. */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

  private static final Logger LOG = LoggerFactory.getLogger(AsupersyncServerLifecycle.class);

  private static final String PROPERTY_SOURCE = "asupersync.server.ports";

  private final Supplier<AsupersyncServer.Builder> builder;
  private final @Nullable ConfigurableEnvironment environment;
  private volatile @Nullable AsupersyncServer server;

  /**
   * @param builder the configured builder, asked once at start
   * @param environment where to publish the bound ports; null to skip
   */
  public AsupersyncServerLifecycle(
      Supplier<AsupersyncServer.Builder> builder, @Nullable ConfigurableEnvironment environment) {
    this.builder = builder;
    this.environment = environment;
  }

  /** The running server, or null before start and after stop. */
  public @Nullable AsupersyncServer server() {
    return server;
  }

  @Override
  public synchronized void start() {
    if (server != null) {
      return;
    }
    AsupersyncServer started = builder.get().start();
    server = started;
    LOG.info("Asupersync server started on {}", describePorts(started));
    if (environment != null) {
      publishPorts(environment, started);
    }
  }

  private static String describePorts(AsupersyncServer server) {
    List<String> ports = new ArrayList<>();
    if (server.cleartextPort() >= 0) {
      ports.add("port " + server.cleartextPort() + " (http/1.1, h2c)");
    }
    if (server.tlsPort() >= 0) {
      ports.add("port " + server.tlsPort() + " (https: http/1.1, h2)");
    }
    return ports.isEmpty() ? "no port" : String.join(" and ", ports);
  }

  private static void publishPorts(ConfigurableEnvironment environment, AsupersyncServer server) {
    Map<String, Object> ports = new HashMap<>();
    if (server.cleartextPort() >= 0) {
      ports.put(CLEARTEXT_PORT_PROPERTY, server.cleartextPort());
    }
    if (server.tlsPort() >= 0) {
      ports.put(TLS_PORT_PROPERTY, server.tlsPort());
    }
    MutablePropertySources sources = environment.getPropertySources();
    sources.remove(PROPERTY_SOURCE);
    sources.addFirst(new MapPropertySource(PROPERTY_SOURCE, ports));
  }

  @Override
  public synchronized void stop() {
    AsupersyncServer running = server;
    server = null;
    if (running != null) {
      running.shutdown();
    }
  }

  @Override
  public boolean isRunning() {
    return server != null;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
