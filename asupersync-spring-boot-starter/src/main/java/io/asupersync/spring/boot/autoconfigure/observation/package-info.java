/** Auto-configuration that correlates Asupersync trace events with Micrometer tracing. */
@NullMarked
package io.asupersync.spring.boot.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
