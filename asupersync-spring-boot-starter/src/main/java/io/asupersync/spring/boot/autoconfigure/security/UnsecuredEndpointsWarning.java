package io.asupersync.spring.boot.autoconfigure.security;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.IncludeExcludeEndpointFilter;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.ExposableWebEndpoint;
import org.springframework.core.env.Environment;

/** Logs, once, that the Asupersync endpoints are readable over HTTP by anyone who reaches the port. */
final class UnsecuredEndpointsWarning implements SmartInitializingSingleton {

  private static final Logger LOG = LoggerFactory.getLogger(UnsecuredEndpointsWarning.class);

  private final List<String> exposed;

  UnsecuredEndpointsWarning(Environment environment, boolean endpointPresent, boolean traceEndpointPresent) {
    IncludeExcludeEndpointFilter<ExposableWebEndpoint> web =
        new IncludeExcludeEndpointFilter<>(
            ExposableWebEndpoint.class, environment, "management.endpoints.web.exposure", "health");
    List<String> ids = new ArrayList<>();
    if (endpointPresent && web.match(EndpointId.of("asupersync"))) {
      ids.add("asupersync");
    }
    if (traceEndpointPresent && web.match(EndpointId.of("asupersynctrace"))) {
      ids.add("asupersynctrace");
    }
    this.exposed = List.copyOf(ids);
  }

  /** The endpoint ids the warning names; empty when there is nothing to warn about. */
  List<String> exposed() {
    return exposed;
  }

  @Override
  public void afterSingletonsInstantiated() {
    if (!exposed.isEmpty()) {
      LOG.warn(
          "Actuator endpoints {} are exposed over HTTP and Spring Security is not on the classpath: anyone who "
              + "can reach the management port can read task names, obligation descriptions and trace events. "
              + "Add spring-boot-starter-security and guard them with AsupersyncEndpointSecurity.requireRole(...), "
              + "or remove them from management.endpoints.web.exposure.include.",
          exposed);
    }
  }
}
