/** Ties Asupersync request regions to Micrometer observations and to the ids of the current trace. */
@NullMarked
package io.asupersync.spring.boot.observation;

import org.jspecify.annotations.NullMarked;
