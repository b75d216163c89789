package io.asupersync.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataProperty;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepository;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepositoryJsonBuilder;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

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
  void everyRecordComponentOfEveryPropertiesRecordIsInTheMetadata() throws IOException {
    Map<String, ConfigurationMetadataProperty> properties = loadOwnMetadata().getAllProperties();
    Set<String> expected = new TreeSet<>();
    ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
    scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
    for (BeanDefinition candidate : scanner.findCandidateComponents("io.asupersync")) {
      Class<?> type = ClassUtils.resolveClassName(candidate.getBeanClassName(), getClass().getClassLoader());
      ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
      assertThat(type.isRecord()).as("%s is a record", type.getName()).isTrue();
      collectLeaves(annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix(), type, expected);
    }

    assertThat(expected).as("properties found by walking the records").hasSizeGreaterThan(50)
        .contains("asupersync.server.limits.http2.max-resets-per-window", "asupersync.web.request-budget");
    assertThat(properties.keySet()).containsAll(expected);
  }

  /** Adds {@code prefix.component} for every leaf, recursing into nested records of the starter. */
  private static void collectLeaves(String prefix, Class<?> record, Set<String> into) {
    for (RecordComponent component : record.getRecordComponents()) {
      String name = prefix + "." + kebab(component.getName());
      Class<?> type = component.getType();
      if (type.isRecord() && type.getName().startsWith("io.asupersync.")) {
        collectLeaves(name, type, into);
      } else {
        into.add(name);
      }
    }
  }

  private static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
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
