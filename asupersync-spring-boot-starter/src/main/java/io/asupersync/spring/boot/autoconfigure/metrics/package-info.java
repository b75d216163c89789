/** Auto-configuration of the Asupersync Micrometer meters. */
@NullMarked
package io.asupersync.spring.boot.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
