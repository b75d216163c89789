package io.asupersync.spring.boot.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** Auto-configuration for the Asupersync structured-concurrency runtime. */
@AutoConfiguration
@EnableConfigurationProperties(AsupersyncProperties.class)
public final class AsupersyncAutoConfiguration {}
