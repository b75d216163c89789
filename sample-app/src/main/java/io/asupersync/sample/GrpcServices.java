package io.asupersync.sample;

import io.asupersync.interop.InteropTestService;
import io.asupersync.protocols.grpc.GrpcService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * gRPC on the Asupersync server: gRPC's interop {@code grpc.testing.TestService}, served by the
 * starter on both ports (h2c on 9080, ALPN h2 on 9443) beside {@code grpc.health.v1.Health}.
 */
@Configuration(proxyBeanMethods = false)
class GrpcServices {

  @Bean
  GrpcService testService() {
    return InteropTestService.create();
  }
}
