package io.asupersync.spring.boot.autoconfigure.grpc;

import io.asupersync.protocols.grpc.GrpcHealth;
import io.asupersync.protocols.grpc.GrpcHealth.ServingStatus;
import io.asupersync.spring.boot.server.AsupersyncServerLifecycle;
import java.util.List;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps the health of the server ({@code ""}) and of each service in step with the server: NOT_SERVING
 * until it started, SERVING while it runs, NOT_SERVING from the moment the context begins to close. Its
 * phase is one above the server's, so it turns SERVING after the ports are bound and NOT_SERVING before
 * the server drains: health watchers hear of the shutdown while their streams are still open.
 */
final class GrpcHealthLifecycle implements SmartLifecycle {

  private final GrpcHealth health;
  private final List<String> services;
  private volatile boolean running;

  GrpcHealthLifecycle(GrpcHealth health, List<String> services) {
    this.health = health;
    this.services = List.copyOf(services);
    set(ServingStatus.NOT_SERVING);
  }

  @Override
  public void start() {
    set(ServingStatus.SERVING);
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    set(ServingStatus.NOT_SERVING);
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return AsupersyncServerLifecycle.PHASE + 1;
  }

  private void set(ServingStatus status) {
    services.forEach(service -> health.setStatus(service, status));
  }
}
