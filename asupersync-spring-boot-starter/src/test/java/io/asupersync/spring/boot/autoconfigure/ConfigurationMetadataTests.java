package io.asupersync.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataProperty;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepository;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepositoryJsonBuilder;

/**
 * Checks the metadata that IDEs show for {@code asupersync.*}, read from this module's own build output
 * (the annotation processors must have run: from JDK 23 on, javac skips processors that are only on the
 * classpath, and the metadata silently disappears from the jar).
 */
class ConfigurationMetadataTests {

  private static final String METADATA = "META-INF/spring-configuration-metadata.json";

  @Test
  void everyPropertyHasADescriptionInTheHouseStyle() throws IOException {
    Map<String, ConfigurationMetadataProperty> properties = loadOwnMetadata().getAllProperties();

    assertThat(properties).isNotEmpty();
    assertThat(properties.values()).allSatisfy(property -> {
      String description = property.getDescription();
      assertThat(description).as("description of %s", property.getId()).isNotBlank();
      assertThat(description).as(property.getId()).doesNotStartWith("The ").doesNotStartWith("A ");
      if ("java.lang.Boolean".equals(property.getType())) {
        assertThat(description).as(property.getId()).startsWith("Whether");
      }
    });
  }

  @Test
  void everySectionIsDescribed() throws IOException {
    Map<String, ConfigurationMetadataProperty> properties = loadOwnMetadata().getAllProperties();

    assertThat(properties).containsKeys(
        "asupersync.runtime.leak-response",
        "asupersync.runtime.leak-escalation-threshold",
        "asupersync.runtime.trace-capacity",
        "asupersync.runtime.default-request-budget",
        "asupersync.runtime.shutdown-timeout",
        "asupersync.server.enabled",
        "asupersync.server.cleartext-port",
        "asupersync.server.tls-port",
        "asupersync.server.ssl.bundle",
        "asupersync.server.ssl.client-auth",
        "asupersync.server.default-timeout",
        "asupersync.server.max-client-timeout",
        "asupersync.server.limits.http1.max-body-size",
        "asupersync.server.limits.http2.max-resets-per-window",
        "asupersync.grpc.max-inbound-message-size",
        "asupersync.grpc.max-timeout",
        "asupersync.grpc.health.enabled",
        "asupersync.websocket.max-frame-size",
        "asupersync.websocket.close-timeout",
        "asupersync.redis.url",
        "asupersync.redis.pool.max-active",
        "asupersync.redis.limits.max-nesting",
        "asupersync.nats.servers",
        "asupersync.nats.token",
        "asupersync.nats.limits.max-payload-size",
        "asupersync.kafka.bootstrap-servers",
        "asupersync.kafka.max-message-size",
        "asupersync.health.leak-threshold",
        "asupersync.web.request-budget");
  }

  @Test
  void defaultsAreRecordedForTools() throws IOException {
    Map<String, ConfigurationMetadataProperty> properties = loadOwnMetadata().getAllProperties();

    ConfigurationMetadataProperty shutdownTimeout = properties.get("asupersync.runtime.shutdown-timeout");
    assertThat(shutdownTimeout.getType()).isEqualTo("java.time.Duration");
    assertThat(shutdownTimeout.getDefaultValue()).isEqualTo("30s");
    assertThat(properties.get("asupersync.runtime.trace-capacity").getDefaultValue()).isEqualTo(4096);
    assertThat(properties.get("asupersync.server.cleartext-port").getDefaultValue()).isEqualTo(9080);
    assertThat(properties.get("asupersync.server.enabled").getDefaultValue()).isEqualTo(false);
    assertThat(properties.get("asupersync.grpc.max-metadata-size").getDefaultValue()).isEqualTo("8KB");
    assertThat(properties.get("asupersync.grpc.health.enabled").getDefaultValue()).isEqualTo(true);
  }

  @Test
  void autoConfigureMetadataIsGeneratedForThisModule() {
    assertThat(ownResource("META-INF/spring-autoconfigure-metadata.properties")).isNotNull();
  }

  private static ConfigurationMetadataRepository loadOwnMetadata() throws IOException {
    URL url = ownResource(METADATA);
    assertThat(url).as("%s generated next to %s", METADATA, AsupersyncRuntimeProperties.class.getName()).isNotNull();
    try (InputStream in = url.openStream()) {
      return ConfigurationMetadataRepositoryJsonBuilder.create(in).build();
    }
  }

  /** Finds a resource in this module's own output, not in a dependency that ships the same path. */
  private static @Nullable URL ownResource(String name) {
    String ownLocation =
        AsupersyncRuntimeProperties.class.getProtectionDomain().getCodeSource().getLocation().toString();
    try {
      List<URL> candidates = Collections.list(AsupersyncRuntimeProperties.class.getClassLoader().getResources(name));
      return candidates.stream().filter(url -> url.toString().startsWith(ownLocation)).findFirst().orElse(null);
    } catch (IOException ex) {
      throw new IllegalStateException("Cannot list " + name, ex);
    }
  }
}
