package io.asupersync.spring.boot.autoconfigure.grpc;

import io.asupersync.Runtime;
import io.asupersync.protocols.grpc.GrpcHealth;
import io.asupersync.protocols.grpc.GrpcLimits;
import io.asupersync.protocols.grpc.GrpcRejectionReason;
import io.asupersync.protocols.grpc.GrpcRouter;
import io.asupersync.protocols.grpc.GrpcService;
import io.asupersync.spring.boot.autoconfigure.AsupersyncGrpcProperties;
import io.asupersync.spring.boot.autoconfigure.AsupersyncServerProperties;
import io.asupersync.spring.boot.autoconfigure.server.AsupersyncServerAutoConfiguration;
import io.asupersync.spring.boot.server.AsupersyncServerCustomizer;
import io.asupersync.spring.boot.metrics.EnumRejectionCounts;
import io.asupersync.spring.boot.metrics.RejectionCounts;
import io.asupersync.spring.boot.server.AsupersyncServerLifecycle;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of gRPC on the Asupersync server: every {@link GrpcService} bean, and the standard
 * health service {@code grpc.health.v1.Health} ({@code asupersync.grpc.health.enabled}), served on both
 * of its ports with the limits of {@code asupersync.grpc.*}. Health reports SERVING for the server
 * ({@code ""}) and each service name while the server runs, NOT_SERVING once it shuts down.
 *
 * <p>Active when the starter runs the Asupersync server and the application has a {@link GrpcService}
 * bean, or sets {@code asupersync.grpc.health.enabled=true} to serve health alone: an application
 * without gRPC keeps its HTTP routes to itself. Backs off, bean by bean, when the application defines
 * its own {@link GrpcLimits}, {@link GrpcHealth} or {@link GrpcRouter}.
 */
@AutoConfiguration(after = AsupersyncServerAutoConfiguration.class)
@ConditionalOnClass(GrpcRouter.class)
@ConditionalOnBooleanProperty("asupersync.server.enabled")
@ConditionalOnBean(AsupersyncServerLifecycle.class)
@Conditional(AsupersyncGrpcAutoConfiguration.ServicesOrHealth.class)
public final class AsupersyncGrpcAutoConfiguration {

  static final String HEALTH_ENABLED = "asupersync.grpc.health.enabled";

  @Bean
  @ConditionalOnMissingBean
  GrpcLimits asupersyncGrpcLimits(AsupersyncGrpcProperties grpc, AsupersyncServerProperties server) {
    return grpc.toLimits(server.maxClientTimeout());
  }

  @Bean
  @ConditionalOnMissingBean
  GrpcRouter asupersyncGrpcRouter(
      Runtime runtime, GrpcLimits limits, ObjectProvider<GrpcService> services, ObjectProvider<GrpcHealth> health) {
    GrpcRouter.Builder router = GrpcRouter.builder().limits(limits).trace(runtime.trace());
    List<GrpcService> served = services.orderedStream().toList();
    served.forEach(router::service);
    GrpcHealth registry = health.getIfAvailable();
    // An application that registers its own health service keeps it.
    if (registry != null && served.stream().noneMatch(service -> service.name().equals(GrpcHealth.SERVICE))) {
      router.service(registry.service());
    }
    return router.build();
  }

  /** The router's rejections as {@code asupersync.rejections{protocol=grpc}}. */
  @Bean
  @ConditionalOnMissingBean(name = "asupersyncGrpcRejectionCounts")
  RejectionCounts asupersyncGrpcRejectionCounts(GrpcRouter router) {
    return new EnumRejectionCounts<>("grpc", GrpcRejectionReason.class, router::rejections);
  }

  @Bean
  @ConditionalOnMissingBean(name = "asupersyncGrpcServices")
  AsupersyncServerCustomizer asupersyncGrpcServices(GrpcRouter router) {
    return router::installOn;
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBooleanProperty(name = HEALTH_ENABLED, matchIfMissing = true)
  static final class HealthConfiguration {

    @Bean
    @ConditionalOnMissingBean
    GrpcHealth asupersyncGrpcHealth() {
      return GrpcHealth.create();
    }

    @Bean
    @ConditionalOnMissingBean
    GrpcHealthLifecycle asupersyncGrpcHealthLifecycle(GrpcHealth health, ObjectProvider<GrpcService> services) {
      List<String> names = new ArrayList<>();
      names.add("");
      services.orderedStream().map(GrpcService::name).filter(name -> !name.equals(GrpcHealth.SERVICE)).forEach(names::add);
      return new GrpcHealthLifecycle(health, names);
    }
  }

  /** At least one GrpcService bean, or the health service asked for explicitly. */
  static final class ServicesOrHealth extends AnyNestedCondition {

    ServicesOrHealth() {
      super(ConfigurationPhase.REGISTER_BEAN);
    }

    @ConditionalOnBean(GrpcService.class)
    static final class Services {}

    @ConditionalOnBooleanProperty(HEALTH_ENABLED)
    static final class Health {}
  }
}
