package io.asupersync.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.LeakResponse;
import io.asupersync.ObligationKind;
import io.asupersync.Outcome;
import io.asupersync.trace.TraceKind;
import io.netty.channel.DefaultEventLoop;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.classreading.CachingMetadataReaderFactory;
import org.springframework.core.type.classreading.MetadataReaderFactory;

class AsupersyncAutoConfigurationTests {

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(AsupersyncAutoConfiguration.class));

  @Test
  void runtimePropertiesBindWithDefaultsWhenNothingIsSet() {
    contextRunner.run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(AsupersyncRuntimeProperties.class);
      AsupersyncRuntimeProperties runtime = context.getBean(AsupersyncRuntimeProperties.class);
      assertThat(runtime.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
      assertThat(runtime.traceCapacity()).isEqualTo(4096);
      assertThat(runtime.leakResponse()).isEqualTo(LeakResponse.LOG);
      assertThat(runtime.leakEscalationThreshold()).isNull();
      assertThat(runtime.defaultRequestBudget()).isEqualTo(Duration.ofSeconds(30));
      assertThat(runtime.eventLoopCarrier()).isFalse();
      assertThat(runtime.traceLifecycle()).isTrue();
    });
  }

  @Test
  void traceLifecyclePropertyDecidesWhetherTaskAndRegionEventsAreRecorded() {
    for (boolean on : new boolean[] {true, false}) {
      contextRunner
          .withPropertyValues("asupersync.runtime.trace-lifecycle=" + on)
          .run(context -> {
            io.asupersync.Runtime runtime = context.getBean(io.asupersync.Runtime.class);
            runtime.run(cx -> cx.spawn(c -> 1).join(cx));
            assertThat(runtime.trace().events(e -> e.kind() == TraceKind.TASK_SPAWNED, 10)).hasSize(on ? 2 : 0);
            assertThat(runtime.counters().tasksSpawned()).isEqualTo(2);
          });
    }
  }

  @Test
  void tasksStartedOnAnEventLoopRunOnTheSharedSchedulerByDefault() {
    contextRunner.run(context ->
        assertThat(carrierOfATaskStartedOnAnEventLoop(context.getBean(io.asupersync.Runtime.class))).startsWith("ForkJoinPool"));
  }

  @Test
  void eventLoopCarrierPropertyRunsTasksStartedOnAnEventLoopOnThatLoop() {
    contextRunner
        .withPropertyValues("asupersync.runtime.event-loop-carrier=true")
        .run(context ->
            assertThat(carrierOfATaskStartedOnAnEventLoop(context.getBean(io.asupersync.Runtime.class))).startsWith("defaultEventLoop"));
  }

  /** Where a task started on a Netty event loop ran: the carrier its virtual thread named while mounted. */
  private static String carrierOfATaskStartedOnAnEventLoop(io.asupersync.Runtime runtime) throws Exception {
    DefaultEventLoop loop = new DefaultEventLoop();
    try {
      CompletableFuture<String> carrier = new CompletableFuture<>();
      loop.submit(() -> runtime.spawn("probe", cx -> {
        String self = Thread.currentThread().toString();
        return carrier.complete(self.substring(self.lastIndexOf('@') + 1));
      })).get(5, TimeUnit.SECONDS);
      return carrier.get(5, TimeUnit.SECONDS);
    } finally {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  @Test
  void runtimePropertiesBindOverridesInEveryNotation() {
    contextRunner
        .withPropertyValues(
            "asupersync.runtime.shutdown-timeout=1500ms",
            "asupersync.runtime.traceCapacity=128",
            "ASUPERSYNC_RUNTIME_DEFAULTREQUESTBUDGET=2s")
        .run(context -> {
          AsupersyncRuntimeProperties runtime = context.getBean(AsupersyncRuntimeProperties.class);
          assertThat(runtime.shutdownTimeout()).isEqualTo(Duration.ofMillis(1500));
          assertThat(runtime.traceCapacity()).isEqualTo(128);
        });
  }

  @Test
  void runtimeIsCreatedFromPropertiesAndShutDownWithTheContext() {
    AtomicReference<io.asupersync.Runtime> created = new AtomicReference<>();
    contextRunner
        .withPropertyValues("asupersync.runtime.trace-capacity=32", "asupersync.runtime.leak-response=recover")
        .run(context -> {
          assertThat(context).hasSingleBean(io.asupersync.Runtime.class);
          io.asupersync.Runtime runtime = context.getBean(io.asupersync.Runtime.class);
          created.set(runtime);
          assertThat(runtime.trace().capacity()).isEqualTo(32);
          assertThat(runtime.run(cx -> cx.spawn(c -> 41).join(cx).orThrow() + 1).orThrow()).isEqualTo(42);
          assertThat(runtime.isShutdown()).isFalse();
        });
    assertThat(created.get().isShutdown()).isTrue();
  }

  @Test
  void leakEscalationThresholdTurnsLaterLeaksIntoPanics() {
    contextRunner
        .withPropertyValues("asupersync.runtime.leak-response=silent", "asupersync.runtime.leak-escalation-threshold=1")
        .run(context -> {
          io.asupersync.Runtime runtime = context.getBean(io.asupersync.Runtime.class);
          Outcome<Object> first = runtime.run(cx -> cx.reserve(ObligationKind.ACK, "first"));
          Outcome<Object> second = runtime.run(cx -> cx.reserve(ObligationKind.ACK, "second"));
          assertThat(first).isInstanceOf(Outcome.Ok.class);
          assertThat(second).isInstanceOf(Outcome.Panicked.class);
        });
  }

  @Test
  void runtimeBacksOffWhenTheUserDefinesOne() {
    try (io.asupersync.Runtime own = io.asupersync.Runtime.builder().build()) {
      contextRunner
          .withBean("myRuntime", io.asupersync.Runtime.class, () -> own)
          .run(context -> assertThat(context).getBean(io.asupersync.Runtime.class).isSameAs(own));
    }
  }

  @Test
  void everySectionIsBoundAtStartup() {
    contextRunner.run(context -> assertThat(context)
        .hasSingleBean(AsupersyncServerProperties.class)
        .hasSingleBean(AsupersyncGrpcProperties.class)
        .hasSingleBean(AsupersyncWebSocketProperties.class)
        .hasSingleBean(AsupersyncRedisProperties.class)
        .hasSingleBean(AsupersyncNatsProperties.class)
        .hasSingleBean(AsupersyncKafkaProperties.class));
  }

  @Test
  void invalidDurationFailsTheContext() {
    contextRunner
        .withPropertyValues("asupersync.runtime.shutdown-timeout=soon")
        .run(context -> assertThat(context).hasFailed());
  }

  @Test
  void outOfRangeValueFailsTheContextNamingTheProperty() {
    contextRunner
        .withPropertyValues("asupersync.runtime.trace-capacity=0")
        .run(context -> assertThat(context)
            .getFailure()
            .rootCause()
            .isInstanceOfSatisfying(
                InvalidAsupersyncPropertyException.class,
                ex -> assertThat(ex.property()).isEqualTo("asupersync.runtime.trace-capacity")));
  }

  @Test
  void sslBundleNamesAreNotCheckedWithoutAnSslBundleRegistry() {
    contextRunner
        .withPropertyValues("asupersync.redis.ssl.bundle=nowhere")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SslBundleNamesCheck.class));
  }

  @Test
  void unknownSslBundleFailsStartupNamingTheKnownBundles() {
    contextRunner
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
        .withPropertyValues(
            "spring.ssl.bundle.pem.server.keystore.certificate=classpath:test-cert.pem",
            "spring.ssl.bundle.pem.server.keystore.private-key=classpath:test-key.pem",
            "asupersync.server.tls-port=0",
            "asupersync.server.ssl.bundle=sever")
        .run(context -> assertThat(context)
            .getFailure()
            .rootCause()
            .isInstanceOfSatisfying(InvalidAsupersyncPropertyException.class, ex -> {
              assertThat(ex.property()).isEqualTo("asupersync.server.ssl.bundle");
              assertThat(ex.value()).isEqualTo("sever");
              assertThat(ex.reason()).contains("no SSL bundle named 'sever'").contains("defined: server");
            }));
  }

  @Test
  void knownSslBundlePassesTheCheck() {
    contextRunner
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
        .withPropertyValues(
            "spring.ssl.bundle.pem.server.keystore.certificate=classpath:test-cert.pem",
            "spring.ssl.bundle.pem.server.keystore.private-key=classpath:test-key.pem",
            "asupersync.server.tls-port=0",
            "asupersync.server.ssl.bundle=server")
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(SslBundleNamesCheck.class));
  }

  @Test
  void everyAutoConfigurationIsRegisteredInTheImportsFile() throws IOException {
    // read the class files directly: a component scan would skip the classes whose conditions fail here
    MetadataReaderFactory readers = new CachingMetadataReaderFactory();
    List<String> declared = new ArrayList<>();
    for (Resource resource : new PathMatchingResourcePatternResolver().getResources("classpath*:io/asupersync/**/*.class")) {
      AnnotationMetadata metadata = readers.getMetadataReader(resource).getAnnotationMetadata();
      if (metadata.hasAnnotation(AutoConfiguration.class.getName())) {
        declared.add(metadata.getClassName());
      }
    }
    List<String> registered = new ArrayList<>();
    ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader())
        .forEach(name -> {
          if (name.startsWith("io.asupersync.")) {
            registered.add(name);
          }
        });

    assertThat(declared).contains(AsupersyncAutoConfiguration.class.getName()).hasSizeGreaterThan(10);
    assertThat(registered).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(declared);
  }
}
