package io.asupersync.spring.boot.autoconfigure.messaging;

import io.asupersync.Runtime;
import io.asupersync.protocols.kafka.KafkaProducerConfig;
import io.asupersync.protocols.kafka.KafkaSender;
import io.asupersync.spring.boot.autoconfigure.AsupersyncAutoConfiguration;
import io.asupersync.spring.boot.autoconfigure.AsupersyncKafkaProperties;
import io.asupersync.spring.boot.autoconfigure.InvalidAsupersyncPropertyException;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * A {@code KafkaSender<String, byte[]>} (string keys, raw values) from {@code asupersync.kafka.*} once
 * {@code bootstrap-servers} is set and kafka-clients is on the classpath; closed (flushed) with the
 * context. The producer connects in the background, so brokers that are down do not stop startup. With
 * {@code ssl.bundle} it connects over TLS: the bundle's trust store decides which brokers are trusted, its
 * key store (if any) is the client certificate for mTLS, and the broker's certificate must name the host
 * in {@code bootstrap-servers} (or the one the broker advertises). Backs off when the application defines
 * its own {@link KafkaSender} (of any types).
 */
@AutoConfiguration(after = AsupersyncAutoConfiguration.class)
@ConditionalOnClass(name = {
  "io.asupersync.protocols.kafka.KafkaSender",
  "org.apache.kafka.clients.producer.KafkaProducer"
})
@Conditional(ClientConfiguredCondition.Kafka.class)
@ConditionalOnBean(Runtime.class)
public final class AsupersyncKafkaAutoConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(KafkaSender.class)
  KafkaSender<String, byte[]> asupersyncKafkaSender(
      Runtime runtime, AsupersyncKafkaProperties properties, ObjectProvider<SslBundles> sslBundles) {
    if (!properties.idempotence()) {
      throw new InvalidAsupersyncPropertyException(
          "asupersync.kafka.idempotence", false, "the Asupersync Kafka sender is always idempotent (acks=all)",
          "Remove asupersync.kafka.idempotence or set it to true.");
    }
    KafkaProducerConfig config = KafkaProducerConfig.of(String.join(",", properties.bootstrapServers()))
        .withMaxMessageBytes((int) properties.maxMessageSize().toBytes())
        .with(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) properties.requestTimeout().toMillis());
    String clientId = properties.clientId();
    if (clientId != null) {
      config = config.with(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    }
    String bundle = properties.ssl().bundle();
    if (bundle != null) {
      config = config.withTls(MessagingTls.clientTls(sslBundles, bundle, "asupersync.kafka.ssl.bundle"));
    }
    return KafkaSender.create(runtime, config, new StringSerializer(), new ByteArraySerializer());
  }
}
