package io.asupersync.spring.boot.autoconfigure;

import static io.asupersync.spring.boot.autoconfigure.PropertyChecks.intBytes;
import static io.asupersync.spring.boot.autoconfigure.PropertyChecks.positive;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the Kafka client, bound from {@code asupersync.kafka}. The client is configured when
 * bootstrap-servers is not empty.
 *
 * @param bootstrapServers Host and port pairs of the brokers used to discover the cluster, such as
 *     localhost:9092.
 * @param clientId Client id sent with each request, for server-side logging and quotas.
 * @param maxMessageSize Maximum size of one record, sent or fetched.
 * @param idempotence Whether the producer is idempotent (acks=all, no duplicates on retry).
 * @param requestTimeout Time budget of one request to a broker when the caller's budget is longer.
 * @param ssl TLS settings.
 */
@ConfigurationProperties("asupersync.kafka")
public record AsupersyncKafkaProperties(
    @DefaultValue List<String> bootstrapServers,
    @Nullable String clientId,
    @DefaultValue("1MB") DataSize maxMessageSize,
    @DefaultValue("true") boolean idempotence,
    @DefaultValue("30s") Duration requestTimeout,
    @DefaultValue Ssl ssl) {

  public AsupersyncKafkaProperties {
    bootstrapServers = List.copyOf(bootstrapServers);
    intBytes("asupersync.kafka.max-message-size", maxMessageSize);
    positive("asupersync.kafka.request-timeout", requestTimeout);
  }

  /** Whether brokers to connect to are configured. */
  public boolean isConfigured() {
    return !bootstrapServers.isEmpty();
  }

  /**
   * TLS settings.
   *
   * @param bundle Name of the SSL bundle (spring.ssl.bundle.*) to connect to the brokers with TLS: its
   *     trust store decides which broker certificates are trusted, its key store (if any) is the client
   *     certificate for brokers that require one (mTLS). The broker certificate must name the host
   *     dialled. Unset, plaintext.
   */
  public record Ssl(@Nullable String bundle) {}
}
