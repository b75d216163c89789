package io.asupersync.spring.boot.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Runtime;
import io.asupersync.protocols.grpc.GrpcRejectionReason;
import io.asupersync.protocols.grpc.GrpcService;
import io.asupersync.protocols.grpc.MessageCodec;
import io.asupersync.protocols.grpc.MethodDescriptor;
import io.asupersync.protocols.websocket.WebSocketRejectionReason;
import io.asupersync.spring.boot.autoconfigure.AsupersyncAutoConfiguration;
import io.asupersync.spring.boot.autoconfigure.grpc.AsupersyncGrpcAutoConfiguration;
import io.asupersync.spring.boot.autoconfigure.server.AsupersyncServerAutoConfiguration;
import io.asupersync.spring.boot.metrics.AsupersyncMetrics;
import io.asupersync.spring.boot.metrics.RejectionCounts;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class AsupersyncMetricsAutoConfigurationTests {

  private static final MessageCodec<byte[]> BYTES = new MessageCodec<>() {
    @Override
    public byte[] encode(byte[] message) {
      return message;
    }

    @Override
    public byte[] decode(byte[] bytes) {
      return bytes;
    }
  };

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  MetricsAutoConfiguration.class,
                  SimpleMetricsExportAutoConfiguration.class,
                  CompositeMeterRegistryAutoConfiguration.class,
                  AsupersyncAutoConfiguration.class,
                  AsupersyncMetricsAutoConfiguration.class));

  @Test
  void metersAreBoundToBootsRegistry() {
    contextRunner.run(context -> {
      assertThat(context).hasSingleBean(AsupersyncMetrics.class);
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      assertThat(registry.find("asupersync.tasks.active").gauge()).isNotNull();
      assertThat(registry.find("asupersync.cancellations").tag("kind", "deadline").functionCounter()).isNotNull();
    });
  }

  @Test
  void rejectionCountsBeansAreBound() {
    RejectionCounts http2 = new RejectionCounts() {
      @Override
      public String protocol() {
        return "http2";
      }

      @Override
      public Set<String> reasons() {
        return Set.of("rapid_reset");
      }

      @Override
      public long count(String reason) {
        return 7;
      }
    };
    contextRunner
        .withBean("http2Rejections", RejectionCounts.class, () -> http2)
        .run(context -> assertThat(context.getBean(MeterRegistry.class)
                .get("asupersync.rejections").tags("protocol", "http2", "reason", "rapid_reset").functionCounter()
                .count())
            .isEqualTo(7.0));
  }

  private ApplicationContextRunner withServerAndGrpc() {
    return contextRunner
        .withConfiguration(AutoConfigurations.of(AsupersyncServerAutoConfiguration.class, AsupersyncGrpcAutoConfiguration.class))
        .withPropertyValues("asupersync.server.cleartext-port=0", "asupersync.runtime.shutdown-timeout=2s")
        .withBean("echoService", GrpcService.class, () -> GrpcService.builder("test.Echo")
            .unary(MethodDescriptor.unary("test.Echo", "Echo", BYTES, BYTES), (cx, call, request) -> request)
            .build());
  }

  @Test
  void grpcAndWebSocketRejectionsAreMetersBesideHttpWithLowerCaseReasons() {
    withServerAndGrpc().withPropertyValues("asupersync.server.enabled=true").run(context -> {
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      for (String protocol : List.of("http", "grpc", "websocket")) {
        assertThat(registry.find("asupersync.rejections").tag("protocol", protocol).functionCounters())
            .as(protocol)
            .isNotEmpty()
            .allSatisfy(c -> assertThat(c.getId().getTag("reason")).isEqualTo(c.getId().getTag("reason").toLowerCase(Locale.ROOT)));
      }
      assertThat(registry.find("asupersync.rejections").tags("protocol", "grpc", "reason", "message_too_large").functionCounters())
          .hasSize(1);
      assertThat(registry.find("asupersync.rejections").tags("protocol", "grpc").functionCounters())
          .hasSize(GrpcRejectionReason.values().length);
      assertThat(registry.get("asupersync.rejections").tags("protocol", "websocket", "reason", "unmasked_frame").functionCounter().count())
          .isZero();
      assertThat(registry.find("asupersync.rejections").tags("protocol", "websocket").functionCounters())
          .hasSize(WebSocketRejectionReason.values().length);
    });
  }

  @Test
  void grpcAndWebSocketRejectionMetersBackOffWithTheServer() {
    withServerAndGrpc().run(context -> {
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      assertThat(registry.find("asupersync.rejections").functionCounters()).isEmpty();
      assertThat(registry.find("asupersync.tasks.active").gauge()).isNotNull();
    });
  }

  @Test
  void metricsBackOffWhenTheUserDefinesThem() {
    contextRunner
        .withBean("myMetrics", AsupersyncMetrics.class,
            () -> new AsupersyncMetrics(Runtime.builder().build(), List.of()))
        .run(context -> assertThat(context).hasSingleBean(AsupersyncMetrics.class).hasBean("myMetrics"));
  }

  @Test
  void metricsNeedAMeterRegistryBean() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(AsupersyncAutoConfiguration.class, AsupersyncMetricsAutoConfiguration.class))
        .run(context -> assertThat(context).doesNotHaveBean(AsupersyncMetrics.class));
  }

  @Test
  void metricsNeedARuntime() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsupersyncMetricsAutoConfiguration.class))
        .withBean(SimpleMeterRegistry.class)
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AsupersyncMetrics.class));
  }

  @Test
  void metricsAreSkippedWithoutMicrometer() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(AsupersyncAutoConfiguration.class, AsupersyncMetricsAutoConfiguration.class))
        .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AsupersyncMetrics.class));
  }

  @Test
  void userRegistryIsEnough() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(AsupersyncAutoConfiguration.class, AsupersyncMetricsAutoConfiguration.class))
        .withBean(SimpleMeterRegistry.class)
        .run(context -> assertThat(context).hasSingleBean(AsupersyncMetrics.class));
  }
}
