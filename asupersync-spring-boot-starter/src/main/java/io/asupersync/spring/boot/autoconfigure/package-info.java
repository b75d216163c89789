/** Auto-configuration and configuration properties for the Asupersync runtime. */
@NullMarked
package io.asupersync.spring.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
