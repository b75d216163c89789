/** Micrometer meters of the Asupersync runtime and of protocol rejections. */
@NullMarked
package io.asupersync.spring.boot.metrics;

import org.jspecify.annotations.NullMarked;
