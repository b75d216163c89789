package io.asupersync.spring.boot.autoconfigure;

import static io.asupersync.spring.boot.autoconfigure.Binding.bind;
import static io.asupersync.spring.boot.autoconfigure.Binding.failure;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class AsupersyncProtocolPropertiesTests {

  @Test
  void grpcDefaultsAreTheDesignLimits() {
    AsupersyncGrpcProperties grpc = bind("asupersync.grpc", AsupersyncGrpcProperties.class);
    assertThat(grpc.maxInboundMessageSize()).isEqualTo(DataSize.ofMegabytes(4));
    assertThat(grpc.maxOutboundMessageSize()).isEqualTo(DataSize.ofMegabytes(4));
    assertThat(grpc.maxMetadataSize()).isEqualTo(DataSize.ofKilobytes(8));
    assertThat(grpc.maxTimeout()).isNull();
    assertThat(grpc.health().enabled()).isTrue();
  }

  @Test
  void webSocketDefaultsAreTheDesignLimits() {
    AsupersyncWebSocketProperties ws = bind("asupersync.websocket", AsupersyncWebSocketProperties.class);
    assertThat(ws.maxFrameSize()).isEqualTo(DataSize.ofMegabytes(16));
    assertThat(ws.maxMessageSize()).isEqualTo(DataSize.ofMegabytes(64));
    assertThat(ws.closeTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(ws.toLimits().maxFrameBytes()).isEqualTo(16 * 1024 * 1024);
  }

  @Test
  void webSocketMessageLimitBelowTheFrameLimitIsRefusedAtBinding() {
    assertThat(failure("asupersync.websocket", AsupersyncWebSocketProperties.class,
            "asupersync.websocket.max-frame-size=2MB", "asupersync.websocket.max-message-size=1MB").property())
        .isEqualTo("asupersync.websocket.max-message-size");
    assertThat(failure("asupersync.websocket", AsupersyncWebSocketProperties.class,
            "asupersync.websocket.max-frame-size=100B").property())
        .isEqualTo("asupersync.websocket.max-frame-size");
  }

  @Test
  void redisIsUnconfiguredUntilAUrlOrHostIsSet() {
    AsupersyncRedisProperties redis = bind("asupersync.redis", AsupersyncRedisProperties.class);
    assertThat(redis.isConfigured()).isFalse();
    assertThat(redis.port()).isEqualTo(6379);
    assertThat(redis.limits().maxBulkSize()).isEqualTo(DataSize.ofMegabytes(16));
    assertThat(redis.limits().maxNesting()).isEqualTo(64);
    assertThat(redis.limits().maxAggregateElements()).isEqualTo(1_000_000);
    assertThat(redis.pool().maxActive()).isEqualTo(8);

    AsupersyncRedisProperties configured =
        bind("asupersync.redis", AsupersyncRedisProperties.class, "asupersync.redis.url=rediss://cache:6380/2");
    assertThat(configured.isConfigured()).isTrue();
    assertThat(configured.url()).isEqualTo(URI.create("rediss://cache:6380/2"));
  }

  @Test
  void redisUrlWithAForeignSchemeIsRefused() {
    assertThat(failure("asupersync.redis", AsupersyncRedisProperties.class, "asupersync.redis.url=http://cache").property())
        .isEqualTo("asupersync.redis.url");
  }

  @Test
  void redisPoolMinIdleAboveMaxActiveIsRefused() {
    InvalidAsupersyncPropertyException ex =
        failure(
            "asupersync.redis",
            AsupersyncRedisProperties.class,
            "asupersync.redis.pool.max-active=2",
            "asupersync.redis.pool.min-idle=3");
    assertThat(ex.property()).isEqualTo("asupersync.redis.pool.min-idle");
    assertThat(ex.reason()).contains("max-active (2)");
  }

  @Test
  void natsBindsServersAndDefaultLimits() {
    AsupersyncNatsProperties nats =
        bind(
            "asupersync.nats",
            AsupersyncNatsProperties.class,
            "asupersync.nats.servers=nats://a:4222,nats://b:4222",
            "asupersync.nats.token=t0k3n");
    assertThat(nats.isConfigured()).isTrue();
    assertThat(nats.servers()).containsExactly(URI.create("nats://a:4222"), URI.create("nats://b:4222"));
    assertThat(nats.limits().maxPayloadSize()).isEqualTo(DataSize.ofMegabytes(1));
    assertThat(nats.limits().maxControlLineSize()).isEqualTo(DataSize.ofKilobytes(4));
    assertThat(nats.failFast()).isTrue();
    assertThat(bind("asupersync.nats", AsupersyncNatsProperties.class).isConfigured()).isFalse();
    assertThat(bind("asupersync.nats", AsupersyncNatsProperties.class, "asupersync.nats.fail-fast=false").failFast())
        .isFalse();
  }

  @Test
  void natsTokenTogetherWithUserIsRefusedWithoutEchoingTheSecret() {
    InvalidAsupersyncPropertyException ex =
        failure(
            "asupersync.nats",
            AsupersyncNatsProperties.class,
            "asupersync.nats.token=s3cret",
            "asupersync.nats.user=u",
            "asupersync.nats.password=p");
    assertThat(ex.property()).isEqualTo("asupersync.nats.token");
    assertThat(ex.getMessage()).doesNotContain("s3cret");
  }

  @Test
  void natsUserWithoutPasswordIsRefused() {
    assertThat(failure("asupersync.nats", AsupersyncNatsProperties.class, "asupersync.nats.user=u").property())
        .isEqualTo("asupersync.nats.password");
  }

  @Test
  void kafkaDefaultsToIdempotentOneMegabyteRecords() {
    AsupersyncKafkaProperties kafka = bind("asupersync.kafka", AsupersyncKafkaProperties.class);
    assertThat(kafka.isConfigured()).isFalse();
    assertThat(kafka.maxMessageSize()).isEqualTo(DataSize.ofMegabytes(1));
    assertThat(kafka.idempotence()).isTrue();
    assertThat(
            bind("asupersync.kafka", AsupersyncKafkaProperties.class, "asupersync.kafka.bootstrap-servers=k1:9092,k2:9092")
                .bootstrapServers())
        .containsExactly("k1:9092", "k2:9092");
  }

  @Test
  void negativeMessageSizesAreRefusedInEverySection() {
    assertThat(failure("asupersync.grpc", AsupersyncGrpcProperties.class, "asupersync.grpc.max-inbound-message-size=-4MB").property())
        .isEqualTo("asupersync.grpc.max-inbound-message-size");
    assertThat(failure("asupersync.websocket", AsupersyncWebSocketProperties.class, "asupersync.websocket.max-frame-size=-1B").property())
        .isEqualTo("asupersync.websocket.max-frame-size");
    assertThat(failure("asupersync.kafka", AsupersyncKafkaProperties.class, "asupersync.kafka.max-message-size=0B").property())
        .isEqualTo("asupersync.kafka.max-message-size");
    assertThat(failure("asupersync.nats", AsupersyncNatsProperties.class, "asupersync.nats.limits.max-payload-size=-1KB").property())
        .isEqualTo("asupersync.nats.limits.max-payload-size");
  }
}
