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
 * Checks that the annotation processors ran: from JDK 23 on, javac skips processors that are only on the
 * classpath, and the metadata silently disappears from the jar.
 */
class ConfigurationMetadataTests {

  private static final String METADATA = "META-INF/spring-configuration-metadata.json";

  @Test
  void configurationMetadataIsGeneratedForThisModule() throws IOException {
    Map<String, ConfigurationMetadataProperty> properties = loadOwnMetadata().getAllProperties();

    assertThat(properties).containsKeys("asupersync.runtime.shutdown-timeout", "asupersync.runtime.trace-capacity");
    ConfigurationMetadataProperty shutdownTimeout = properties.get("asupersync.runtime.shutdown-timeout");
    assertThat(shutdownTimeout.getType()).isEqualTo("java.time.Duration");
    assertThat(shutdownTimeout.getDefaultValue()).isEqualTo("30s");
    assertThat(shutdownTimeout.getDescription()).startsWith("Maximum time");
    ConfigurationMetadataProperty traceCapacity = properties.get("asupersync.runtime.trace-capacity");
    assertThat(traceCapacity.getDefaultValue()).isEqualTo(4096);
    assertThat(traceCapacity.getDescription()).isNotBlank();
  }

  @Test
  void autoConfigureMetadataIsGeneratedForThisModule() {
    assertThat(ownResource("META-INF/spring-autoconfigure-metadata.properties")).isNotNull();
  }

  private static ConfigurationMetadataRepository loadOwnMetadata() throws IOException {
    URL url = ownResource(METADATA);
    assertThat(url).as("%s generated next to %s", METADATA, AsupersyncProperties.class.getName()).isNotNull();
    try (InputStream in = url.openStream()) {
      return ConfigurationMetadataRepositoryJsonBuilder.create(in).build();
    }
  }

  /** Finds a resource in this module's own output, not in a dependency that ships the same path. */
  private static @Nullable URL ownResource(String name) {
    String ownLocation =
        AsupersyncProperties.class.getProtectionDomain().getCodeSource().getLocation().toString();
    try {
      List<URL> candidates = Collections.list(AsupersyncProperties.class.getClassLoader().getResources(name));
      return candidates.stream().filter(url -> url.toString().startsWith(ownLocation)).findFirst().orElse(null);
    } catch (IOException ex) {
      throw new IllegalStateException("Cannot list " + name, ex);
    }
  }
}
